// SPDX-License-Identifier: Apache-2.0
#include <fstream>

#include <QTemporaryDir>
#include <QtTest>
#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include "engine/core/atomic_file.h"
#include "engine/pki/kubeconfig.h"
#include "vm/kubeconfig_merge.h"

using namespace slipway;

namespace {

/// A user's kubeconfig with a context of their own and fields Slipway does not model (an exec
/// plugin, extensions, preferences), which a merge must keep byte for byte in meaning.
const char* const kUserConfig =
    "apiVersion: v1\n"
    "kind: Config\n"
    "preferences:\n"
    "  colors: true\n"
    "clusters:\n"
    "- name: work\n"
    "  cluster:\n"
    "    server: https://work.example:6443\n"
    "    extensions:\n"
    "    - name: client.authentication.k8s.io/exec\n"
    "      extension:\n"
    "        audience: work\n"
    "users:\n"
    "- name: work-user\n"
    "  user:\n"
    "    exec:\n"
    "      apiVersion: client.authentication.k8s.io/v1beta1\n"
    "      command: work-login\n"
    "      args: [\"--profile\", \"dev\"]\n"
    "contexts:\n"
    "- name: work\n"
    "  context:\n"
    "    cluster: work\n"
    "    user: work-user\n"
    "    namespace: team-a\n"
    "current-context: work\n";

YAML::Node load(const std::filesystem::path& path) {
    return YAML::LoadFile(path.string());
}

/// The entry named `name` of `section`, or a null node.
YAML::Node entry(const YAML::Node& config, const char* section, const std::string& name) {
    for (const auto& item : config[section]) {
        if (item["name"].as<std::string>() == name) {
            return item;
        }
    }
    return YAML::Node();
}

int countNamed(const YAML::Node& config, const char* section, const std::string& name) {
    int count = 0;
    for (const auto& item : config[section]) {
        count += item["name"].as<std::string>() == name ? 1 : 0;
    }
    return count;
}

}  // namespace

class TstKubeconfigMerge : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::filesystem::path m_clusterConfig;

    std::filesystem::path path(const char* name) const {
        return std::filesystem::path(m_dir.path().toStdString()) / name;
    }

    /// The kubeconfig slipwayd writes for a cluster: one cluster, user and context, all named
    /// `name`, with embedded credentials.
    void writeClusterConfig(const std::string& name, const std::string& server) {
        pki::Kubeconfig config = pki::Kubeconfig::forServer(name, server);
        config.users.front().token = "token-of-" + name;
        m_clusterConfig = path("cluster-kubeconfig");
        QVERIFY(config.save(m_clusterConfig).ok());
    }

private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        writeClusterConfig("slipway-dev", "https://127.0.0.1:40001");
    }

    void createsTheFileAndItsFolderWhenAbsent() {
        const auto target = path("home/.kube/config");
        QVERIFY(vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target).ok());

        const auto config = load(target);
        QCOMPARE(config["current-context"].as<std::string>(), std::string("slipway-dev"));
        QCOMPARE(entry(config, "clusters", "slipway-dev")["cluster"]["server"].as<std::string>(),
                 std::string("https://127.0.0.1:40001"));
        QCOMPARE(entry(config, "users", "slipway-dev")["user"]["token"].as<std::string>(),
                 std::string("token-of-slipway-dev"));
        QCOMPARE(entry(config, "contexts", "slipway-dev")["context"]["cluster"].as<std::string>(),
                 std::string("slipway-dev"));
        // It holds credentials: only its owner reads it.
        struct stat st {};
        QCOMPARE(::stat(target.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
        // kubectl itself reads it back.
        auto parsed = pki::Kubeconfig::load(target);
        QVERIFY(parsed.ok());
        QVERIFY(parsed->findContext("slipway-dev") != nullptr);
    }

    void keepsTheUsersOwnEntriesAndFields() {
        const auto target = path("config-keep");
        QVERIFY(core::writeFileAtomically(target, kUserConfig, 0640).ok());
        QVERIFY(vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target).ok());

        const auto config = load(target);
        QCOMPARE(config["current-context"].as<std::string>(), std::string("slipway-dev"));
        QVERIFY(config["preferences"]["colors"].as<bool>());
        const auto work = entry(config, "clusters", "work");
        QCOMPARE(work["cluster"]["extensions"][0]["extension"]["audience"].as<std::string>(),
                 std::string("work"));
        const auto user = entry(config, "users", "work-user");
        QCOMPARE(user["user"]["exec"]["command"].as<std::string>(), std::string("work-login"));
        QCOMPARE(user["user"]["exec"]["args"][1].as<std::string>(), std::string("dev"));
        QCOMPARE(entry(config, "contexts", "work")["context"]["namespace"].as<std::string>(),
                 std::string("team-a"));
        // The user's mode stays.
        struct stat st {};
        QCOMPARE(::stat(target.c_str(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0640));
    }

    void replacesItsOwnEntriesOnRestart() {
        const auto target = path("config-replace");
        QVERIFY(core::writeFileAtomically(target, kUserConfig).ok());
        QVERIFY(vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target).ok());
        // The cluster came back on another port.
        writeClusterConfig("slipway-dev", "https://127.0.0.1:40002");
        QVERIFY(vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target, false).ok());

        const auto config = load(target);
        for (const char* section : {"clusters", "users", "contexts"}) {
            QCOMPARE(countNamed(config, section, "slipway-dev"), 1);
        }
        QCOMPARE(entry(config, "clusters", "slipway-dev")["cluster"]["server"].as<std::string>(),
                 std::string("https://127.0.0.1:40002"));
        QCOMPARE(config["clusters"].size(), std::size_t(2));
        // Not asked to switch this time: current-context is what the first merge set.
        QCOMPARE(config["current-context"].as<std::string>(), std::string("slipway-dev"));
    }

    void removeTakesOnlyItsOwnEntries() {
        const auto target = path("config-remove");
        QVERIFY(core::writeFileAtomically(target, kUserConfig).ok());
        QVERIFY(vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target).ok());
        QVERIFY(vm::removeClusterKubeconfig("slipway-dev", target).ok());

        const auto config = load(target);
        for (const char* section : {"clusters", "users", "contexts"}) {
            QCOMPARE(countNamed(config, section, "slipway-dev"), 0);
            QCOMPARE(config[section].size(), std::size_t(1));
        }
        QCOMPARE(config["current-context"].as<std::string>(), std::string());
        QCOMPARE(entry(config, "users", "work-user")["user"]["exec"]["command"].as<std::string>(),
                 std::string("work-login"));
        // Again, and on a file that does not exist: nothing to do is success.
        QVERIFY(vm::removeClusterKubeconfig("slipway-dev", target).ok());
        QVERIFY(vm::removeClusterKubeconfig("slipway-dev", path("absent")).ok());
    }

    void removeKeepsAnotherCurrentContext() {
        const auto target = path("config-other-current");
        QVERIFY(core::writeFileAtomically(target, kUserConfig).ok());
        QVERIFY(vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target, false).ok());
        QVERIFY(vm::removeClusterKubeconfig("slipway-dev", target).ok());
        QCOMPARE(load(target)["current-context"].as<std::string>(), std::string("work"));
    }

    void refusesMalformedFilesWithoutTouchingThem() {
        const auto target = path("config-bad");
        const std::string bad = "clusters: [unclosed\n";
        QVERIFY(core::writeFileAtomically(target, bad).ok());
        const auto result = vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), core::ErrorCode::Invalid);
        QVERIFY(QString::fromStdString(result.error().message())
                    .contains(QString::fromStdString(target.string())));
        QCOMPARE(*core::readFile(target), bad);
        QVERIFY(!std::filesystem::exists(target.string() + ".lock"));
    }

    void refusesAClusterConfigWithoutTheContext() {
        const auto result =
            vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-other", path("config-none"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), core::ErrorCode::Invalid);
    }

    void waitsForAndReportsAHeldLock() {
        const auto target = path("config-locked");
        { std::ofstream(target.string() + ".lock") << ""; }
        const auto result = vm::mergeClusterKubeconfig(m_clusterConfig, "slipway-dev", target);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code(), core::ErrorCode::Unavailable);
        QVERIFY(!std::filesystem::exists(target));
        std::filesystem::remove(target.string() + ".lock");
    }

    void userPathFollowsClientGo() {
        const QByteArray savedKubeconfig = qgetenv("KUBECONFIG");
        const QByteArray savedHome = qgetenv("HOME");
        const auto existing = path("config-existing");
        QVERIFY(core::writeFileAtomically(existing, kUserConfig).ok());

        qputenv("KUBECONFIG", QByteArray());
        qputenv("HOME", "/home/someone");
        QCOMPARE(vm::userKubeconfigPath(), std::filesystem::path("/home/someone/.kube/config"));
        // The first file of the list that exists...
        qputenv("KUBECONFIG", QByteArray("/nonexistent/a:") + existing.c_str() + ":/nonexistent/b");
        QCOMPARE(vm::userKubeconfigPath(), existing);
        // ...else the last entry.
        qputenv("KUBECONFIG", "/nonexistent/a::/nonexistent/b");
        QCOMPARE(vm::userKubeconfigPath(), std::filesystem::path("/nonexistent/b"));

        qputenv("KUBECONFIG", savedKubeconfig);
        qputenv("HOME", savedHome);
    }
};

QTEST_GUILESS_MAIN(TstKubeconfigMerge)
#include "tst_kubeconfig_merge.moc"
