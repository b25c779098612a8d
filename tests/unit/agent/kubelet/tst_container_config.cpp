// SPDX-License-Identifier: Apache-2.0
// How the kubelet turns a pod's container into what runc runs: argv, environment, user,
// cgroup limits and downward API values.
#include <fstream>

#include <QTemporaryDir>
#include <QtTest>

#include "engine/agent/kubelet/container_config.h"

using namespace slipway;
using namespace slipway::agent;
using nlohmann::json;

namespace {

images::ImageConfig helloImage() {
    images::ImageConfig image;
    image.entrypoint = {"/bin/sh", "/hello.sh"};
    image.cmd = {"--port", "8080"};
    image.env = {"PATH=/bin", "VERSION=1"};
    image.user = "";
    return image;
}

json podWith(const json& container) {
    return {{"metadata",
             {{"name", "web-1"},
              {"namespace", "shop"},
              {"uid", "u-1"},
              {"labels", {{"app", "web"}, {"tier", "front"}}},
              {"annotations", {{"note", "a \"quoted\" value"}}}}},
            {"spec", {{"nodeName", "node-a"}, {"containers", json::array({container})}}},
            {"status", {{"podIP", "10.244.0.7"}, {"hostIP", "192.168.1.2"}}}};
}

kubelet::EnvSources sources() {
    kubelet::EnvSources out;
    out.configMap = [](const std::string& name) -> core::Result<std::optional<json>> {
        if (name != "settings") {
            return std::optional<json>();
        }
        return std::optional<json>(json{{"data", {{"mode", "fast"}, {"level", "3"}}}});
    };
    out.secret = [](const std::string& name) -> core::Result<std::optional<json>> {
        if (name != "creds") {
            return std::optional<json>();
        }
        return std::optional<json>(json{{"data", {{"password", "czNjcjN0"}}}});  // s3cr3t
    };
    return out;
}

}  // namespace

class TstContainerConfig : public QObject {
    Q_OBJECT

private slots:
    void commandAndArgsReplaceEntrypointAndCmd() {
        const auto image = helloImage();
        const std::map<std::string, std::string> env = {{"NAME", "world"}};
        using Args = std::vector<std::string>;
        QCOMPARE(kubelet::containerArgs(json::object(), image, env),
                 (Args{"/bin/sh", "/hello.sh", "--port", "8080"}));
        QCOMPARE(kubelet::containerArgs({{"args", {"--port", "9090"}}}, image, env),
                 (Args{"/bin/sh", "/hello.sh", "--port", "9090"}));
        // command drops the image's Cmd too.
        QCOMPARE(kubelet::containerArgs({{"command", {"echo"}}}, image, env), (Args{"echo"}));
        QCOMPARE(
            kubelet::containerArgs(
                {{"command", {"echo", "hello $(NAME)", "$$(NAME)", "$(MISSING)"}}}, image, env),
            (Args{"echo", "hello world", "$(NAME)", "$(MISSING)"}));
    }

    void environmentFollowsKubeletPrecedence() {
        const json container = {
            {"name", "app"},
            {"resources", {{"limits", {{"memory", "64Mi"}}}}},
            {"envFrom",
             json::array({{{"configMapRef", {{"name", "settings"}}}, {"prefix", "CFG_"}}})},
            {"env",
             json::array(
                 {{{"name", "VERSION"}, {"value", "2"}},
                  {{"name", "GREETING"}, {"value", "v$(VERSION) on $(CFG_mode)"}},
                  {{"name", "PASSWORD"},
                   {"valueFrom", {{"secretKeyRef", {{"name", "creds"}, {"key", "password"}}}}}},
                  {{"name", "POD"},
                   {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.name"}}}}}},
                  {{"name", "APP"},
                   {"valueFrom", {{"fieldRef", {{"fieldPath", "metadata.labels['app']"}}}}}},
                  {{"name", "MEM"},
                   {"valueFrom",
                    {{"resourceFieldRef",
                      {{"resource", "limits.memory"}, {"divisor", "1Mi"}}}}}}})}};
        auto env = kubelet::containerEnv(podWith(container), container, helloImage(), sources());
        QVERIFY2(env.ok(), env ? "" : env.error().message().c_str());
        const std::map<std::string, std::string> values(env->begin(), env->end());
        QCOMPARE(values.at("PATH"), std::string("/bin"));
        QCOMPARE(values.at("VERSION"), std::string("2"));  // the pod's wins over the image's
        QCOMPARE(values.at("CFG_mode"), std::string("fast"));
        QCOMPARE(values.at("GREETING"), std::string("v2 on fast"));
        QCOMPARE(values.at("PASSWORD"), std::string("s3cr3t"));
        QCOMPARE(values.at("POD"), std::string("web-1"));
        QCOMPARE(values.at("APP"), std::string("web"));
        QCOMPARE(values.at("MEM"), std::string("64"));
        // Order: the image's first, then envFrom, then env.
        QCOMPARE(env->front().first, std::string("PATH"));
    }

    void missingSourcesAreConfigErrors() {
        const json missingMap = {
            {"env", json::array({{{"name", "X"},
                                  {"valueFrom",
                                   {{"configMapKeyRef", {{"name", "nope"}, {"key", "k"}}}}}}})}};
        auto env = kubelet::containerEnv(podWith(missingMap), missingMap, helloImage(), sources());
        QVERIFY(!env.ok());
        QCOMPARE(env.error().message(), std::string("configmap \"nope\" not found"));
        const json missingKey = {
            {"env",
             json::array(
                 {{{"name", "X"},
                   {"valueFrom", {{"configMapKeyRef", {{"name", "settings"}, {"key", "k"}}}}}}})}};
        env = kubelet::containerEnv(podWith(missingKey), missingKey, helloImage(), sources());
        QVERIFY(!env.ok());
        QCOMPARE(env.error().message(),
                 std::string("couldn't find key k in ConfigMap shop/settings"));
        const json optional = {
            {"env", json::array({{{"name", "X"},
                                  {"valueFrom",
                                   {{"configMapKeyRef",
                                     {{"name", "nope"}, {"key", "k"}, {"optional", true}}}}}}})}};
        env = kubelet::containerEnv(podWith(optional), optional, helloImage(), sources());
        QVERIFY(env.ok());
    }

    void downwardApiFields() {
        const json pod = podWith(json::object());
        QCOMPARE(*kubelet::podFieldValue(pod, "metadata.namespace"), std::string("shop"));
        QCOMPARE(*kubelet::podFieldValue(pod, "spec.nodeName"), std::string("node-a"));
        QCOMPARE(*kubelet::podFieldValue(pod, "status.podIP"), std::string("10.244.0.7"));
        QCOMPARE(*kubelet::podFieldValue(pod, "metadata.labels"),
                 std::string("app=\"web\"\ntier=\"front\"\n"));
        QCOMPARE(*kubelet::podFieldValue(pod, "metadata.annotations['note']"),
                 std::string("a \"quoted\" value"));
        QVERIFY(!kubelet::podFieldValue(pod, "spec.nothing").ok());
    }

    void resourcesBecomeCgroupLimits() {
        auto limits =
            kubelet::containerResources({{"resources",
                                          {{"limits", {{"cpu", "500m"}, {"memory", "128Mi"}}},
                                           {"requests", {{"cpu", "250m"}}}}}});
        QCOMPARE(*limits.memoryLimitBytes, std::int64_t(128) * 1024 * 1024);
        QCOMPARE(*limits.cpuQuotaMicros, std::int64_t(50000));
        QCOMPARE(*limits.cpuPeriodMicros, std::uint64_t(100000));
        QCOMPARE(*limits.cpuShares, std::uint64_t(256));
        auto none = kubelet::containerResources(json::object());
        QVERIFY(!none.memoryLimitBytes);
        QCOMPARE(*none.cpuShares, std::uint64_t(2));
    }

    void userFromImageOrSecurityContext() {
        QTemporaryDir rootfs;
        QDir().mkpath(rootfs.filePath("etc"));
        std::ofstream(rootfs.filePath("etc/passwd").toStdString())
            << "root:x:0:0:root:/root:/bin/sh\nwww:x:33:44:www:/var/www:/bin/false\n";
        std::ofstream(rootfs.filePath("etc/group").toStdString()) << "root:x:0:\nstaff:x:50:\n";
        auto image = helloImage();
        image.user = "www";
        const json pod = podWith(json::object());
        auto ids = kubelet::containerUser(pod, json::object(), image, rootfs.path().toStdString());
        QVERIFY(ids.ok());
        QCOMPARE(ids->uid, 33u);
        QCOMPARE(ids->gid, 44u);
        image.user = "1000:staff";
        ids = kubelet::containerUser(pod, json::object(), image, rootfs.path().toStdString());
        QCOMPARE(ids->uid, 1000u);
        QCOMPARE(ids->gid, 50u);
        // The container's securityContext wins over the pod's, which wins over the image.
        json withContext = pod;
        withContext["spec"]["securityContext"] = {{"runAsUser", 7}, {"runAsGroup", 8}};
        ids = kubelet::containerUser(withContext, {{"securityContext", {{"runAsUser", 9}}}}, image,
                                     rootfs.path().toStdString());
        QCOMPARE(ids->uid, 9u);
        QCOMPARE(ids->gid, 8u);
        image.user = "nobody-here";
        QVERIFY(
            !kubelet::containerUser(pod, json::object(), image, rootfs.path().toStdString()).ok());
    }

    void serviceLinksAsTheKubeletWritesThem() {
        const auto service = [](const char* ns, const char* name, const char* ip, json ports) {
            return json{{"metadata", {{"namespace", ns}, {"name", name}}},
                        {"spec", {{"clusterIP", ip}, {"ports", std::move(ports)}}}};
        };
        const std::vector<json> services{
            service("default", "kubernetes", "10.96.0.1",
                    json::array({{{"name", "https"}, {"port", 443}, {"protocol", "TCP"}}})),
            service("shop", "redis-primary", "10.96.4.7",
                    json::array({{{"port", 6379}, {"protocol", "TCP"}},
                                 {{"name", "metrics"}, {"port", 9121}, {"protocol", "TCP"}}})),
            service("shop", "headless", "None", json::array({{{"port", 80}}})),
            service("other", "elsewhere", "10.96.9.9", json::array({{{"port", 80}}})),
        };
        json pod{{"metadata", {{"namespace", "shop"}, {"name", "p"}}}, {"spec", json::object()}};
        const auto env = kubelet::serviceEnvironment(pod, services);
        const std::map<std::string, std::string> vars(env.begin(), env.end());
        QCOMPARE(vars.at("KUBERNETES_SERVICE_HOST"), std::string("10.96.0.1"));
        QCOMPARE(vars.at("KUBERNETES_SERVICE_PORT"), std::string("443"));
        QCOMPARE(vars.at("KUBERNETES_SERVICE_PORT_HTTPS"), std::string("443"));
        QCOMPARE(vars.at("KUBERNETES_PORT"), std::string("tcp://10.96.0.1:443"));
        QCOMPARE(vars.at("REDIS_PRIMARY_SERVICE_HOST"), std::string("10.96.4.7"));
        QCOMPARE(vars.at("REDIS_PRIMARY_SERVICE_PORT"), std::string("6379"));
        QCOMPARE(vars.at("REDIS_PRIMARY_SERVICE_PORT_METRICS"), std::string("9121"));
        QCOMPARE(vars.at("REDIS_PRIMARY_PORT_9121_TCP"), std::string("tcp://10.96.4.7:9121"));
        QCOMPARE(vars.at("REDIS_PRIMARY_PORT_6379_TCP_PROTO"), std::string("tcp"));
        QCOMPARE(vars.at("REDIS_PRIMARY_PORT_6379_TCP_PORT"), std::string("6379"));
        QCOMPARE(vars.at("REDIS_PRIMARY_PORT_6379_TCP_ADDR"), std::string("10.96.4.7"));
        QVERIFY(!vars.contains("HEADLESS_SERVICE_HOST"));
        QVERIFY(!vars.contains("ELSEWHERE_SERVICE_HOST"));
        // enableServiceLinks: false keeps only the master Service.
        pod["spec"]["enableServiceLinks"] = false;
        const auto masterOnly = kubelet::serviceEnvironment(pod, services);
        QVERIFY(std::all_of(masterOnly.begin(), masterOnly.end(),
                            [](const auto& var) { return var.first.starts_with("KUBERNETES_"); }));
        QVERIFY(!masterOnly.empty());
    }
};

QTEST_GUILESS_MAIN(TstContainerConfig)
#include "tst_container_config.moc"
