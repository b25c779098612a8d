// SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include <QtTest>

#include "engine/agent/runtime/oci_spec.h"

using namespace slipway::agent::runtime;
using nlohmann::json;

namespace {

ContainerConfig webConfig() {
    ContainerConfig config;
    config.id = "c1";
    config.podUid = "uid-1";
    config.rootfs = "/var/lib/slipway/agent/containers/c1/rootfs";
    config.args = {"httpd", "-f", "-p", "8080"};
    config.env = {"COLOR=blue"};
    config.cwd = "/www";
    config.uid = 1000;
    config.gid = 1000;
    config.supplementalGroups = {2000};
    config.hostname = "web-1";
    config.sandbox = "/run/slipway/netns/s1";
    config.oomScoreAdj = 1000;
    return config;
}

bool hasCapability(const json& spec, const std::string& name) {
    const auto& caps = spec["process"]["capabilities"]["bounding"];
    return std::find(caps.begin(), caps.end(), name) != caps.end();
}

const json* findMount(const json& spec, const std::string& destination) {
    for (const auto& mount : spec["mounts"]) {
        if (mount["destination"] == destination) {
            return &mount;
        }
    }
    return nullptr;
}

}  // namespace

class TstOciSpec : public QObject {
    Q_OBJECT
private slots:
    void processRootAndHostname() {
        const json spec = ociSpec(webConfig(), "/slipway/poduid-1/c1");
        QCOMPARE(spec["ociVersion"], json("1.0.2"));
        QCOMPARE(spec["process"]["args"], json({"httpd", "-f", "-p", "8080"}));
        QCOMPARE(spec["process"]["cwd"], json("/www"));
        QCOMPARE(spec["process"]["user"],
                 json({{"uid", 1000}, {"gid", 1000}, {"additionalGids", json::array({2000})}}));
        // A PATH is supplied when the image gives none, the caller's env follows.
        QCOMPARE(spec["process"]["env"],
                 json({"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                       "COLOR=blue"}));
        QCOMPARE(spec["process"]["terminal"], json(false));
        QCOMPARE(spec["process"]["oomScoreAdj"], json(1000));
        QCOMPARE(spec["process"]["rlimits"][0]["type"], json("RLIMIT_NOFILE"));
        QCOMPARE(spec["root"], json({{"path", "/var/lib/slipway/agent/containers/c1/rootfs"},
                                     {"readonly", false}}));
        QCOMPARE(spec["hostname"], json("web-1"));
    }

    void namespacesJoinTheSandboxNetwork() {
        const json spec = ociSpec(webConfig(), "/slipway/poduid-1/c1");
        const json expected =
            json::array({json{{"type", "pid"}}, json{{"type", "ipc"}}, json{{"type", "uts"}},
                         json{{"type", "mount"}},
                         json{{"type", "network"}, {"path", "/run/slipway/netns/s1"}}});
        QCOMPARE(spec["linux"]["namespaces"], expected);
        QCOMPARE(spec["linux"]["cgroupsPath"], json("/slipway/poduid-1/c1"));

        ContainerConfig own = webConfig();
        own.sandbox.clear();
        QCOMPARE(ociSpec(own, "/x")["linux"]["namespaces"][4], json({{"type", "network"}}));
    }

    void defaultCapabilitiesAreContainerds() {
        const json spec = ociSpec(webConfig(), "/x");
        QCOMPARE(spec["process"]["capabilities"]["bounding"].size(), std::size_t(14));
        QVERIFY(hasCapability(spec, "CAP_NET_BIND_SERVICE"));
        QVERIFY(hasCapability(spec, "CAP_AUDIT_WRITE"));
        QVERIFY(!hasCapability(spec, "CAP_SYS_ADMIN"));
        QCOMPARE(spec["process"]["capabilities"]["effective"],
                 spec["process"]["capabilities"]["bounding"]);
        QCOMPARE(spec["process"]["capabilities"]["permitted"],
                 spec["process"]["capabilities"]["bounding"]);
    }

    void capabilitiesAddDropAndPrivileged() {
        ContainerConfig config = webConfig();
        config.capabilitiesAdd = {"NET_ADMIN", "CAP_SYS_TIME"};
        config.capabilitiesDrop = {"net_raw", "CAP_KILL"};
        json spec = ociSpec(config, "/x");
        QVERIFY(hasCapability(spec, "CAP_NET_ADMIN"));
        QVERIFY(hasCapability(spec, "CAP_SYS_TIME"));
        QVERIFY(!hasCapability(spec, "CAP_NET_RAW"));
        QVERIFY(!hasCapability(spec, "CAP_KILL"));

        config.capabilitiesAdd = {"NET_BIND_SERVICE"};
        config.capabilitiesDrop = {"ALL"};
        spec = ociSpec(config, "/x");
        QCOMPARE(spec["process"]["capabilities"]["bounding"], json({"CAP_NET_BIND_SERVICE"}));

        config = webConfig();
        config.privileged = true;
        spec = ociSpec(config, "/x");
        QVERIFY(hasCapability(spec, "CAP_SYS_ADMIN"));
        QCOMPARE(spec["process"]["capabilities"]["bounding"].size(), allCapabilities().size());
        // Nothing masked, /sys writable, every device allowed.
        QVERIFY(!spec["linux"].contains("maskedPaths"));
        QVERIFY(!spec["linux"].contains("readonlyPaths"));
        QCOMPARE((*findMount(spec, "/sys"))["options"].back(), json("rw"));
        QCOMPARE(spec["linux"]["resources"]["devices"][0]["allow"], json(true));
    }

    void defaultMountsMaskedAndReadonlyPaths() {
        const json spec = ociSpec(webConfig(), "/x");
        for (const char* destination :
             {"/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"}) {
            QVERIFY2(findMount(spec, destination), destination);
        }
        QCOMPARE((*findMount(spec, "/sys"))["options"].back(), json("ro"));
        QCOMPARE((*findMount(spec, "/sys/fs/cgroup"))["type"], json("cgroup"));
        QCOMPARE((*findMount(spec, "/dev/shm"))["type"], json("tmpfs"));
        const auto& masked = spec["linux"]["maskedPaths"];
        QVERIFY(std::find(masked.begin(), masked.end(), "/proc/kcore") != masked.end());
        QVERIFY(std::find(masked.begin(), masked.end(), "/sys/firmware") != masked.end());
        const auto& readonly = spec["linux"]["readonlyPaths"];
        QVERIFY(std::find(readonly.begin(), readonly.end(), "/proc/sys") != readonly.end());
        QCOMPARE(spec["linux"]["resources"]["devices"],
                 json::array({json{{"allow", false}, {"access", "rwm"}}}));
    }

    void userMountsAreBindsAndReplaceDefaults() {
        ContainerConfig config = webConfig();
        Mount configMap;
        configMap.destination = "/etc/config";
        configMap.source = "/pods/u/volumes/cm";
        configMap.readOnly = true;
        Mount shmMount;
        shmMount.destination = "/dev/shm";
        shmMount.source = "tmpfs";
        shmMount.type = "tmpfs";
        shmMount.options = {"size=1g"};
        config.mounts = {configMap, shmMount};
        const json spec = ociSpec(config, "/x");
        const json* configMount = findMount(spec, "/etc/config");
        QVERIFY(configMount);
        QCOMPARE(*configMount, json({{"destination", "/etc/config"},
                                     {"type", "bind"},
                                     {"source", "/pods/u/volumes/cm"},
                                     {"options", {"rbind", "rprivate", "ro"}}}));
        const auto shm =
            std::count_if(spec["mounts"].begin(), spec["mounts"].end(),
                          [](const json& m) { return m["destination"] == "/dev/shm"; });
        QCOMPARE(shm, 1);
        QCOMPARE((*findMount(spec, "/dev/shm"))["options"], json({"size=1g"}));
    }

    void resourcesBecomeCgroupLimits() {
        ContainerConfig config = webConfig();
        config.resources.memoryLimitBytes = 32 * 1024 * 1024;
        config.resources.cpuShares = 512;
        config.resources.cpuQuotaMicros = 50000;
        config.resources.cpuPeriodMicros = 100000;
        config.resources.pidsLimit = 100;
        const json resources = ociSpec(config, "/x")["linux"]["resources"];
        QCOMPARE(resources["memory"]["limit"], json(32 * 1024 * 1024));
        if (resources["memory"].contains("swap")) {
            QCOMPARE(resources["memory"]["swap"], json(32 * 1024 * 1024));
        }
        QCOMPARE(resources["cpu"], json({{"shares", 512}, {"quota", 50000}, {"period", 100000}}));
        QCOMPARE(resources["pids"], json({{"limit", 100}}));
        QVERIFY(!ociSpec(webConfig(), "/x")["linux"]["resources"].contains("memory"));
    }

    void ttyReadonlyRootAndAnnotations() {
        ContainerConfig config = webConfig();
        config.tty = true;
        config.readonlyRootfs = true;
        config.noNewPrivileges = true;
        config.annotations = {{"io.kubernetes.pod.name", "web-1"}};
        const json spec = ociSpec(config, "/x");
        QCOMPARE(spec["process"]["terminal"], json(true));
        QCOMPARE(spec["process"]["env"].back(), json("TERM=xterm"));
        QCOMPARE(spec["root"]["readonly"], json(true));
        QCOMPARE(spec["process"]["noNewPrivileges"], json(true));
        QCOMPARE(spec["annotations"], json({{"io.kubernetes.pod.name", "web-1"}}));
    }
};

QTEST_GUILESS_MAIN(TstOciSpec)
#include "tst_oci_spec.moc"
