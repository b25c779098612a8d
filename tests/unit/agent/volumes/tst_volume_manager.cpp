// SPDX-License-Identifier: Apache-2.0
// A pod's volumes against a real in-process API server: files, modes and links on disk, the
// atomic update of configMap volumes, tokens from the TokenRequest API, PVCs, hostPath types,
// tmpfs emptyDirs, subPaths and teardown.
#include <atomic>
#include <fstream>

#include <QtTest>
#include <linux/magic.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "engine/agent/volumes/volume_manager.h"
#include "engine/apiserver/request_info.h"
#include "engine/core/timestamp.h"

#include "tests/unit/client/test_server.h"

using namespace slipway;
using agent::volumes::Mount;
using agent::volumes::VolumeFailure;
using agent::volumes::VolumeManager;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

unsigned modeOf(const fs::path& path) {
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 07777;
}

json pod(const std::string& uid, json volumes, json mounts = json::array()) {
    return {{"metadata",
             {{"name", "web-1"},
              {"namespace", "default"},
              {"uid", uid},
              {"labels", {{"app", "web"}, {"tier", "front\"end"}}},
              {"annotations", {{"note", "hi"}}}}},
            {"spec",
             {{"nodeName", "node-1"},
              {"serviceAccountName", "builder"},
              {"containers",
               json::array({{{"name", "web"},
                             {"image", "busybox"},
                             {"env", json::array({{{"name", "POD_NAME"}, {"value", "web-1"}}})},
                             {"resources",
                              {{"limits", {{"memory", "64Mi"}, {"cpu", "500m"}}},
                               {"requests", {{"cpu", "250m"}}}}},
                             {"volumeMounts", std::move(mounts)}}})},
              {"volumes", std::move(volumes)}}}};
}

std::string messages(const std::vector<VolumeFailure>& failures) {
    std::string out;
    for (const auto& f : failures) {
        out += f.message + "\n";
    }
    return out;
}

}  // namespace

class TstVolumeManager : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void configMapAndSecretFiles();
    void missingSourcesAreReportedAsTheKubeletDoes();
    void configMapUpdateIsAtomic();
    void downwardApi();
    void projectedWithServiceAccountToken();
    void persistentVolumeClaim();
    void hostPathTypes();
    void emptyDirOnTmpfs();
    void subPaths();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<testing::TestServer> m_server;
    std::unique_ptr<client::Client> m_client;
    fs::path m_root;
};

void TstVolumeManager::init() {
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir(m_dir->path()).mkpath("server"));
    m_server = std::make_unique<testing::TestServer>(m_dir->filePath("server").toStdString());
    QVERIFY2(m_server->error().empty(), m_server->error().c_str());
    m_client = m_server->directClient();
    m_root = fs::path(m_dir->filePath("agent").toStdString());
}

void TstVolumeManager::cleanup() {
    m_client.reset();
    m_server.reset();
    m_dir.reset();
}

void TstVolumeManager::configMapAndSecretFiles() {
    QVERIFY(m_client->create(client::resources::configMaps().in("default"),
                             testing::configMap("default", "app-config",
                                                {{"app.conf", "port=8080\n"}, {"extra", "x"}})));
    json secret = {{"apiVersion", "v1"},
                   {"kind", "Secret"},
                   {"metadata", {{"name", "creds"}, {"namespace", "default"}}},
                   {"data", {{"password", "czNjcjN0"}}}};  // "s3cr3t"
    QVERIFY(m_client->create(client::resources::secrets().in("default"), secret));

    VolumeManager volumes(m_root, *m_client);
    const json p =
        pod("uid-1",
            json::array(
                {{{"name", "cfg"}, {"configMap", {{"name", "app-config"}}}},
                 {{"name", "picked"},
                  {"configMap",
                   {{"name", "app-config"},
                    {"items",
                     json::array(
                         {{{"key", "app.conf"}, {"path", "conf/app.conf"}, {"mode", 0600}}})}}}},
                 {{"name", "sec"}, {"secret", {{"secretName", "creds"}, {"defaultMode", 0400}}}}}),
            json::array({{{"name", "cfg"}, {"mountPath", "/etc/app"}},
                         {{"name", "sec"},
                          {"mountPath", "/secrets"},
                          {"mountPropagation", "HostToContainer"}}}));
    const auto failures = volumes.setUp(p);
    QVERIFY2(failures.empty(), messages(failures).c_str());

    const fs::path cfg = m_root / "pods/uid-1/volumes/kubernetes.io~configmap/cfg";
    QCOMPARE(volumes.volumePath(p, "cfg"), cfg);
    QCOMPARE(readText(cfg / "app.conf"), std::string("port=8080\n"));
    QCOMPARE(readText(cfg / "extra"), std::string("x"));
    QVERIFY(fs::is_symlink(cfg / "app.conf"));
    QCOMPARE(fs::read_symlink(cfg / "app.conf"), fs::path("..data/app.conf"));
    QVERIFY(fs::is_symlink(cfg / "..data"));
    QVERIFY(fs::read_symlink(cfg / "..data").string().rfind("..20", 0) == 0);
    QCOMPARE(modeOf(cfg / "app.conf"), 0644u);  // defaultMode

    const fs::path picked = m_root / "pods/uid-1/volumes/kubernetes.io~configmap/picked";
    QCOMPARE(readText(picked / "conf/app.conf"), std::string("port=8080\n"));
    QCOMPARE(modeOf(picked / "conf/app.conf"), 0600u);
    QVERIFY(!fs::exists(picked / "extra"));
    QCOMPARE(fs::read_symlink(picked / "conf"), fs::path("..data/conf"));

    const fs::path sec = m_root / "pods/uid-1/volumes/kubernetes.io~secret/sec";
    QCOMPARE(readText(sec / "password"), std::string("s3cr3t"));
    QCOMPARE(modeOf(sec / "password"), 0400u);

    auto mounts = volumes.mounts(p, "web");
    QVERIFY2(mounts.ok(), mounts.ok() ? "" : mounts.error().message().c_str());
    QCOMPARE(mounts->size(), std::size_t(2));
    QCOMPARE((*mounts)[0].containerPath, std::string("/etc/app"));
    QCOMPARE((*mounts)[0].hostPath, cfg.string());
    QVERIFY((*mounts)[0].readOnly);  // configMap volumes are always read-only
    QCOMPARE((*mounts)[1].propagation, std::string("HostToContainer"));

    // Set up again: nothing changes on disk.
    const auto data = fs::read_symlink(cfg / "..data");
    QVERIFY(volumes.setUp(p).empty());
    QCOMPARE(fs::read_symlink(cfg / "..data"), data);

    QVERIFY(volumes.tearDown("uid-1").ok());
    QVERIFY(!fs::exists(m_root / "pods/uid-1/volumes"));
}

void TstVolumeManager::missingSourcesAreReportedAsTheKubeletDoes() {
    QVERIFY(m_client->create(client::resources::configMaps().in("default"),
                             testing::configMap("default", "app-config", {{"a", "1"}})));
    VolumeManager volumes(m_root, *m_client);
    const json p =
        pod("uid-2",
            json::array({{{"name", "cfg"}, {"configMap", {{"name", "nope"}}}},
                         {{"name", "maybe"}, {"configMap", {{"name", "nope"}, {"optional", true}}}},
                         {{"name", "key"},
                          {"configMap",
                           {{"name", "app-config"},
                            {"items", json::array({{{"key", "zzz"}, {"path", "z"}}})}}}},
                         {{"name", "sec"}, {"secret", {{"secretName", "gone"}}}},
                         {{"name", "nfs"}, {"nfs", {{"server", "x"}, {"path", "/"}}}}}));
    const auto failures = volumes.setUp(p);
    QCOMPARE(failures.size(), std::size_t(4));
    QCOMPARE(failures[0].volume, std::string("cfg"));
    QCOMPARE(
        failures[0].message,
        std::string("MountVolume.SetUp failed for volume \"cfg\" : configmap \"nope\" not found"));
    QCOMPARE(failures[1].message,
             std::string("MountVolume.SetUp failed for volume \"key\" : configmap references "
                         "non-existent config key: zzz"));
    QCOMPARE(
        failures[2].message,
        std::string("MountVolume.SetUp failed for volume \"sec\" : secret \"gone\" not found"));
    QCOMPARE(failures[3].volume, std::string("nfs"));
    // The optional one is an empty volume.
    const fs::path maybe = m_root / "pods/uid-2/volumes/kubernetes.io~configmap/maybe";
    QVERIFY(fs::is_directory(maybe));
    QVERIFY(fs::is_symlink(maybe / "..data"));

    auto mounts = volumes.mounts(
        pod("uid-2", json::array(), json::array({{{"name", "x"}, {"mountPath", "/x"}}})), "web");
    QVERIFY(!mounts.ok());
    QCOMPARE(mounts.error().message(),
             std::string("cannot find volume \"x\" to mount into container \"web\""));
}

void TstVolumeManager::configMapUpdateIsAtomic() {
    auto created = m_client->create(
        client::resources::configMaps().in("default"),
        testing::configMap("default", "app-config", {{"app.conf", "v1"}, {"old", "o"}}));
    QVERIFY(created.ok());
    VolumeManager volumes(m_root, *m_client);
    const json p =
        pod("uid-3", json::array({{{"name", "cfg"}, {"configMap", {{"name", "app-config"}}}}}));
    QVERIFY(volumes.setUp(p).empty());
    const fs::path cfg = m_root / "pods/uid-3/volumes/kubernetes.io~configmap/cfg";
    const fs::path visible = cfg / "app.conf";
    QCOMPARE(readText(visible), std::string("v1"));
    const auto firstData = fs::read_symlink(cfg / "..data");

    json changed = *created;
    changed["data"] = {{"app.conf", "v2"}, {"new", "n"}};
    QVERIFY(m_client->update(client::resources::configMaps().in("default").named("app-config"),
                             changed));
    QVERIFY(volumes.resync(p).empty());
    // The same path now reads the new content; the old payload directory is gone; a key that
    // went away takes its link with it.
    QCOMPARE(readText(visible), std::string("v2"));
    QCOMPARE(readText(cfg / "new"), std::string("n"));
    QVERIFY(!fs::exists(fs::symlink_status(cfg / "old")));
    QVERIFY(fs::read_symlink(cfg / "..data") != firstData);
    QVERIFY(!fs::exists(cfg / firstData));
    QVERIFY(!fs::exists(fs::symlink_status(cfg / "..data_tmp")));
    int payloads = 0;
    for (const auto& entry : fs::directory_iterator(cfg)) {
        const auto name = entry.path().filename().string();
        payloads += name.rfind("..20", 0) == 0 ? 1 : 0;
    }
    QCOMPARE(payloads, 1);
}

void TstVolumeManager::downwardApi() {
    VolumeManager volumes(m_root, *m_client);
    json items = json::array(
        {{{"path", "name"}, {"fieldRef", {{"fieldPath", "metadata.name"}}}},
         {{"path", "namespace"}, {"fieldRef", {{"fieldPath", "metadata.namespace"}}}},
         {{"path", "uid"}, {"fieldRef", {{"fieldPath", "metadata.uid"}}}},
         {{"path", "labels"}, {"fieldRef", {{"fieldPath", "metadata.labels"}}}},
         {{"path", "annotations"},
          {"fieldRef", {{"fieldPath", "metadata.annotations"}}},
          {"mode", 0600}},
         {{"path", "app"}, {"fieldRef", {{"fieldPath", "metadata.labels['app']"}}}},
         {{"path", "mem"},
          {"resourceFieldRef",
           {{"containerName", "web"}, {"resource", "limits.memory"}, {"divisor", "1Mi"}}}},
         {{"path", "cpu"},
          {"resourceFieldRef",
           {{"containerName", "web"}, {"resource", "requests.cpu"}, {"divisor", "1m"}}}},
         {{"path", "cpu-cores"},
          {"resourceFieldRef", {{"containerName", "web"}, {"resource", "limits.cpu"}}}}});
    const json p =
        pod("uid-4", json::array({{{"name", "info"}, {"downwardAPI", {{"items", items}}}}}));
    const auto failures = volumes.setUp(p);
    QVERIFY2(failures.empty(), messages(failures).c_str());
    const fs::path dir = m_root / "pods/uid-4/volumes/kubernetes.io~downward-api/info";
    QCOMPARE(readText(dir / "name"), std::string("web-1"));
    QCOMPARE(readText(dir / "namespace"), std::string("default"));
    QCOMPARE(readText(dir / "uid"), std::string("uid-4"));
    QCOMPARE(readText(dir / "labels"), std::string("app=\"web\"\ntier=\"front\\\"end\""));
    QCOMPARE(readText(dir / "annotations"), std::string("note=\"hi\""));
    QCOMPARE(modeOf(dir / "annotations"), 0600u);
    QCOMPARE(readText(dir / "app"), std::string("web"));
    QCOMPARE(readText(dir / "mem"), std::string("64"));
    QCOMPARE(readText(dir / "cpu"), std::string("250"));
    QCOMPARE(readText(dir / "cpu-cores"), std::string("1"));  // 500m rounded up
}

void TstVolumeManager::projectedWithServiceAccountToken() {
    // The TokenRequest API as slipwayd serves it (engine/auth/auth_resources.cpp), reduced to
    // what the volume needs: a token per request, the audiences and lifetime asked for.
    std::atomic<int> issued{0};
    json lastSpec;
    std::mutex mutex;
    m_server->mutableRouter().addCreateOnlyResource(
        "", "serviceaccounts", "token",
        [&](const apiserver::HttpRequest& request, const apiserver::RequestInfo& info) {
            const json body = json::parse(request.body);
            {
                std::lock_guard lock(mutex);
                lastSpec = body["spec"];
                lastSpec["account"] = info.name;
            }
            const int n = ++issued;
            // A short life, so the renewal at 80% is reached within the test.
            const auto expires = std::chrono::system_clock::now() + std::chrono::seconds(2);
            json answer = body;
            answer["status"] = {{"token", "token-" + std::to_string(n)},
                                {"expirationTimestamp", core::formatTimestamp(expires)}};
            return apiserver::HttpResponse::make(201, "application/json", answer.dump());
        });
    QVERIFY(m_client->create(client::resources::configMaps().in("default"),
                             testing::configMap("default", "kube-root-ca.crt",
                                                {{"ca.crt", "-----BEGIN CERTIFICATE-----\n"}})));
    VolumeManager volumes(m_root, *m_client);
    json sources = json::array(
        {{{"serviceAccountToken",
           {{"path", "token"}, {"audience", "vault"}, {"expirationSeconds", 3607}}}},
         {{"configMap",
           {{"name", "kube-root-ca.crt"},
            {"items", json::array({{{"key", "ca.crt"}, {"path", "ca.crt"}}})}}}},
         {{"downwardAPI",
           {{"items", json::array({{{"path", "namespace"},
                                    {"fieldRef", {{"fieldPath", "metadata.namespace"}}}}})}}}}});
    const json p =
        pod("uid-5", json::array({{{"name", "kube-api-access"},
                                   {"projected", {{"sources", sources}, {"defaultMode", 0644}}}}}));
    const auto failures = volumes.setUp(p);
    QVERIFY2(failures.empty(), messages(failures).c_str());
    const fs::path dir = m_root / "pods/uid-5/volumes/kubernetes.io~projected/kube-api-access";
    QCOMPARE(readText(dir / "token"), std::string("token-1"));
    QCOMPARE(readText(dir / "ca.crt"), std::string("-----BEGIN CERTIFICATE-----\n"));
    QCOMPARE(readText(dir / "namespace"), std::string("default"));
    {
        std::lock_guard lock(mutex);
        QCOMPARE(lastSpec["account"], json("builder"));
        QCOMPARE(lastSpec["audiences"], json::array({"vault"}));
        QCOMPARE(lastSpec["expirationSeconds"], json(3607));
    }
    // Cached while young; renewed past 80% of its 2 s life, visible through the same path.
    QVERIFY(volumes.resync(p).empty());
    QCOMPARE(issued.load(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(volumes.resync(p).empty() && readText(dir / "token") == "token-2",
                             5000);
    QCOMPARE(issued.load(), 2);
}

void TstVolumeManager::persistentVolumeClaim() {
    const fs::path data = m_root.parent_path() / "pv-data";
    json pv = {{"apiVersion", "v1"},
               {"kind", "PersistentVolume"},
               {"metadata", {{"name", "pv-1"}}},
               {"spec",
                {{"capacity", {{"storage", "1Gi"}}},
                 {"accessModes", json::array({"ReadWriteOnce"})},
                 {"hostPath", {{"path", data.string()}, {"type", "DirectoryOrCreate"}}}}}};
    QVERIFY(m_client->create(client::ResourceRef("", "v1", "persistentvolumes"), pv));
    json pvc = {{"apiVersion", "v1"},
                {"kind", "PersistentVolumeClaim"},
                {"metadata", {{"name", "data"}, {"namespace", "default"}}},
                {"spec",
                 {{"accessModes", json::array({"ReadWriteOnce"})},
                  {"resources", {{"requests", {{"storage", "1Gi"}}}}}}}};
    auto claim = m_client->create(
        client::ResourceRef("", "v1", "persistentvolumeclaims").in("default"), pvc);
    QVERIFY2(claim.ok(), claim.ok() ? "" : claim.error().message().c_str());

    VolumeManager volumes(m_root, *m_client);
    const json p =
        pod("uid-6",
            json::array({{{"name", "store"}, {"persistentVolumeClaim", {{"claimName", "data"}}}},
                         {{"name", "lost"}, {"persistentVolumeClaim", {{"claimName", "other"}}}}}),
            json::array({{{"name", "store"}, {"mountPath", "/data"}}}));
    auto failures = volumes.setUp(p);
    QCOMPARE(failures.size(), std::size_t(2));
    QCOMPARE(failures[0].message,
             std::string("MountVolume.SetUp failed for volume \"store\" : PVC default/data has "
                         "non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName (\"\")"));
    QCOMPARE(failures[1].message,
             std::string("MountVolume.SetUp failed for volume \"lost\" : error processing PVC "
                         "default/other: persistentvolumeclaim \"other\" not found"));

    json bound = *claim;
    bound["spec"]["volumeName"] = "pv-1";
    auto updated = m_client->update(
        client::ResourceRef("", "v1", "persistentvolumeclaims").in("default").named("data"), bound);
    QVERIFY(updated.ok());
    json withStatus = *updated;
    withStatus["status"] = {{"phase", "Bound"}};
    QVERIFY(m_client->updateStatus(
        client::ResourceRef("", "v1", "persistentvolumeclaims").in("default").named("data"),
        withStatus));
    failures = volumes.setUp(p);
    QCOMPARE(failures.size(), std::size_t(1));
    QVERIFY(fs::is_directory(data));  // DirectoryOrCreate
    auto mounts = volumes.mounts(p, "web");
    QVERIFY(mounts.ok());
    QCOMPARE(mounts->at(0).hostPath, data.string());
    QVERIFY(!mounts->at(0).readOnly);
    // Teardown leaves the persistent data alone.
    QVERIFY(volumes.tearDown("uid-6").ok());
    QVERIFY(fs::is_directory(data));
}

void TstVolumeManager::hostPathTypes() {
    const fs::path host = m_root.parent_path() / "host";
    fs::create_directories(host / "dir");
    std::ofstream(host / "file") << "f";
    VolumeManager volumes(m_root, *m_client);
    auto volume = [&](const std::string& name, const fs::path& path, const std::string& type) {
        return json{{"name", name}, {"hostPath", {{"path", path.string()}, {"type", type}}}};
    };
    const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socketPath = (host / "s.sock").string();
    std::strncpy(address.sun_path, socketPath.c_str(), sizeof(address.sun_path) - 1);
    QCOMPARE(::bind(sock, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);

    const json p = pod(
        "uid-7",
        json::array({volume("a", host / "new/deep", "DirectoryOrCreate"),
                     volume("b", host / "missing", "Directory"), volume("c", host / "dir", "File"),
                     volume("d", host / "made", "FileOrCreate"),
                     volume("e", host / "file", "Socket"), volume("f", socketPath, "Socket"),
                     volume("g", host / "dir", "Directory"), volume("h", host / "file", "Weird")}));
    const auto failures = volumes.setUp(p);
    ::close(sock);
    QCOMPARE(failures.size(), std::size_t(4));
    QCOMPARE(failures[0].message,
             "MountVolume.SetUp failed for volume \"b\" : hostPath type check "
             "failed: " +
                 (host / "missing").string() + " is not a directory");
    QCOMPARE(failures[1].message,
             "MountVolume.SetUp failed for volume \"c\" : hostPath type check "
             "failed: " +
                 (host / "dir").string() + " is not a file");
    QCOMPARE(failures[2].message,
             "MountVolume.SetUp failed for volume \"e\" : hostPath type check "
             "failed: " +
                 (host / "file").string() + " is not a socket file");
    QCOMPARE(
        failures[3].message,
        std::string("MountVolume.SetUp failed for volume \"h\" : Weird is an invalid volume type"));
    QVERIFY(fs::is_directory(host / "new/deep"));
    QVERIFY(fs::is_regular_file(host / "made"));
}

void TstVolumeManager::emptyDirOnTmpfs() {
    VolumeManager volumes(m_root, *m_client);
    const json p =
        pod("uid-8", json::array({{{"name", "scratch"}, {"emptyDir", json::object()}},
                                  {{"name", "cache"},
                                   {"emptyDir", {{"medium", "Memory"}, {"sizeLimit", "16Mi"}}}}}));
    QVERIFY(volumes.setUp(p).empty());
    const fs::path scratch = m_root / "pods/uid-8/volumes/kubernetes.io~empty-dir/scratch";
    const fs::path cache = m_root / "pods/uid-8/volumes/kubernetes.io~empty-dir/cache";
    QVERIFY(fs::is_directory(scratch));
    QCOMPARE(modeOf(scratch), 0777u);
    std::ofstream(scratch / "x") << "data";
    if (::geteuid() == 0) {
        struct statfs info {};
        QCOMPARE(::statfs(cache.c_str(), &info), 0);
        QCOMPARE(static_cast<long>(info.f_type), static_cast<long>(TMPFS_MAGIC));
        QCOMPARE(static_cast<long long>(info.f_blocks) * static_cast<long long>(info.f_bsize),
                 16LL * 1024 * 1024);
        // Set up again: still one mount.
        QVERIFY(volumes.setUp(p).empty());
        std::ofstream(cache / "y") << "in memory";
    }
    QVERIFY(volumes.tearDown("uid-8").ok());
    QVERIFY(!fs::exists(m_root / "pods/uid-8/volumes"));
    std::ifstream mountinfo("/proc/self/mountinfo");
    const std::string mounts(std::istreambuf_iterator<char>(mountinfo), {});
    QVERIFY(mounts.find(cache.string()) == std::string::npos);
    if (::geteuid() != 0) {
        QSKIP("tmpfs needs root; the plain emptyDir part passed");
    }
}

void TstVolumeManager::subPaths() {
    QVERIFY(m_client->create(client::resources::configMaps().in("default"),
                             testing::configMap("default", "app-config", {{"app.conf", "v1"}})));
    VolumeManager volumes(m_root, *m_client);
    const json vols = json::array({{{"name", "scratch"}, {"emptyDir", json::object()}},
                                   {{"name", "cfg"}, {"configMap", {{"name", "app-config"}}}}});
    json p =
        pod("uid-9", vols,
            json::array(
                {{{"name", "scratch"}, {"mountPath", "/logs"}, {"subPath", "logs/web"}},
                 {{"name", "scratch"}, {"mountPath", "/mine"}, {"subPathExpr", "pods/$(POD_NAME)"}},
                 {{"name", "cfg"}, {"mountPath", "/etc/app.conf"}, {"subPath", "app.conf"}}}));
    QVERIFY(volumes.setUp(p).empty());
    auto mounts = volumes.mounts(p, "web");
    QVERIFY2(mounts.ok(), mounts.ok() ? "" : mounts.error().message().c_str());
    const fs::path scratch =
        fs::canonical(m_root / "pods/uid-9/volumes/kubernetes.io~empty-dir/scratch");
    QCOMPARE(mounts->at(0).hostPath, (scratch / "logs/web").string());
    QVERIFY(fs::is_directory(scratch / "logs/web"));
    QCOMPARE(mounts->at(1).hostPath, (scratch / "pods/web-1").string());
    // A file of a configMap volume: the payload file itself (subPath mounts do not follow
    // updates, as in Kubernetes).
    QCOMPARE(readText(mounts->at(2).hostPath), std::string("v1"));
    QVERIFY(mounts->at(2).hostPath.find("/..20") != std::string::npos);
    QVERIFY(mounts->at(2).readOnly);

    // Out of the volume: refused, by name or through a link.
    p["spec"]["containers"][0]["volumeMounts"] =
        json::array({{{"name", "scratch"}, {"mountPath", "/x"}, {"subPath", "../../etc"}}});
    mounts = volumes.mounts(p, "web");
    QVERIFY(!mounts.ok());
    QVERIFY2(mounts.error().message().rfind("failed to prepare subPath for volumeMount \"scratch\" "
                                            "of container \"web\"",
                                            0) == 0,
             mounts.error().message().c_str());
    fs::create_symlink("/etc", scratch / "escape");
    p["spec"]["containers"][0]["volumeMounts"] =
        json::array({{{"name", "scratch"}, {"mountPath", "/x"}, {"subPath", "escape"}}});
    mounts = volumes.mounts(p, "web");
    QVERIFY(!mounts.ok());
    QVERIFY2(mounts.error().message().find("not within volume path") != std::string::npos,
             mounts.error().message().c_str());
}

QTEST_GUILESS_MAIN(TstVolumeManager)
#include "tst_volume_manager.moc"
