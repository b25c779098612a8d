// SPDX-License-Identifier: Apache-2.0
#include "gui/models/example_apps.h"

#include <QCoreApplication>
#include <QFile>

#include "gui/models/manifest_document.h"

namespace slipway::gui {

namespace {

QString readResource(const QString& id) {
    QFile file(QStringLiteral(":/slipway/examples/%1.yaml").arg(id));
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QString::fromUtf8(file.readAll());
}

}  // namespace

std::vector<nlohmann::json> ExampleApp::objects() const {
    return ManifestDocument(manifest.toStdString()).objects();
}

QList<ExampleApp> exampleApps() {
    // Resources embedded in a static library are registered by its consumer's initializer;
    // reading them is cheap (memory), so the GUI thread may.
    QList<ExampleApp> apps;
    apps.append({QStringLiteral("hello"),
                 QCoreApplication::translate("ExampleApps", "Hello web app"),
                 QCoreApplication::translate(
                     "ExampleApps",
                     "A Deployment of two slipway.local/hello:1 replicas and a Service hello."),
                 readResource(QStringLiteral("hello"))});
    apps.append({QStringLiteral("countdown-job"),
                 QCoreApplication::translate("ExampleApps", "Countdown Job"),
                 QCoreApplication::translate(
                     "ExampleApps", "A Job whose busybox container counts down from 10 and ends."),
                 readResource(QStringLiteral("countdown-job"))});
    return apps;
}

}  // namespace slipway::gui
