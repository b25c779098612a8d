// SPDX-License-Identifier: Apache-2.0
#include <QtTest>

#include "engine/core/version.h"

class TstVersion : public QObject {
    Q_OBJECT
private slots:
    void versionInfoIsWhatKubectlDispatchesOn() {
        const auto info = slipway::core::versionInfo();
        // kubectl's dispatcher picks kubectl.1.<minor>: it must be the Kubernetes minor.
        QCOMPARE(info.at("major").get<std::string>(), std::string("1"));
        QCOMPARE(info.at("minor").get<std::string>(), std::string("32"));
        const auto git = info.at("gitVersion").get<std::string>();
        QVERIFY2(git.rfind("v1.32.", 0) == 0, git.c_str());
        QVERIFY(git.find("-slipway.") != std::string::npos);
        for (const char* field :
             {"gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"}) {
            QVERIFY2(info.at(field).is_string(), field);
        }
    }
};

QTEST_GUILESS_MAIN(TstVersion)
#include "tst_version.moc"
