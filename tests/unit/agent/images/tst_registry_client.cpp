// SPDX-License-Identifier: Apache-2.0
// Pulling images over the OCI distribution API (engine/agent/images/registry_client), against
// Debian's docker-registry started on 127.0.0.1 by the test.
#include <fstream>

#include <QtTest>
#include <nlohmann/json.hpp>

#include "engine/agent/images/image_store.h"
#include "engine/agent/images/oci_archive_writer.h"
#include "engine/agent/images/registry_client.h"
#include "engine/agent/images/sha256.h"

#include "tests/support/test_registry.h"

using namespace slipway;
using namespace slipway::agent::images;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

class TestRegistryClient : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    testing::TestRegistry m_registry;
    std::string m_layer0;  // plain tar
    std::string m_layer1;  // gzip
    std::string m_config;
    std::string m_manifest;
    std::string m_manifestDigest;
    std::string m_indexDigest;

    fs::path tmp() const { return m_tmp.path().toStdString(); }
    std::string registry() const { return m_registry.address(); }
    bool pushBlob(const std::string& repo, const std::string& content) {
        return m_registry.pushBlob(repo, content);
    }
    bool pushManifest(const std::string& repo, const std::string& reference,
                      const std::string& mediaType, const std::string& content) {
        return m_registry.pushManifest(repo, reference, mediaType, content);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_tmp.isValid());
        if (!testing::TestRegistry::installed()) {
            QSKIP("docker-registry is not installed (scripts/setup installs it)");
        }
        QVERIFY(m_registry.start(tmp() / "registry"));

        // The test image: two layers (the second gzip-compressed) and a config.
        LayerBuilder base;
        base.addFile("etc/base", "base\n");
        base.addFile("big", std::string(300000, 'x'));
        m_layer0 = *base.build();
        LayerBuilder top;
        top.addFile("etc/top", "top\n");
        top.addWhiteout("etc/base");
        m_layer1 = *top.build(true);
        LayerBuilder topPlain;
        topPlain.addFile("etc/top", "top\n");
        topPlain.addWhiteout("etc/base");
        const std::string topTar = *topPlain.build(false);
        json imageConfig = {{"architecture", "amd64"},
                            {"os", "linux"},
                            {"config", {{"Cmd", json::array({"/bin/true"})}}},
                            {"rootfs",
                             {{"type", "layers"},
                              {"diff_ids", json::array({detail::sha256Digest(m_layer0),
                                                        detail::sha256Digest(topTar)})}}}};
        m_config = imageConfig.dump();
        json manifest = {
            {"schemaVersion", 2},
            {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
            {"config",
             {{"mediaType", "application/vnd.oci.image.config.v1+json"},
              {"digest", detail::sha256Digest(m_config)},
              {"size", m_config.size()}}},
            {"layers", json::array({{{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                                     {"digest", detail::sha256Digest(m_layer0)},
                                     {"size", m_layer0.size()}},
                                    {{"mediaType", "application/vnd.oci.image.layer.v1.tar+gzip"},
                                     {"digest", detail::sha256Digest(m_layer1)},
                                     {"size", m_layer1.size()}}})}};
        m_manifest = manifest.dump();
        m_manifestDigest = detail::sha256Digest(m_manifest);
        for (const auto* blob : {&m_layer0, &m_layer1, &m_config}) {
            QVERIFY(pushBlob("test/app", *blob));
        }
        QVERIFY(pushManifest("test/app", "1", "application/vnd.oci.image.manifest.v1+json",
                             m_manifest));
        // An index with another platform first: the pull must pick linux/amd64.
        json index = {
            {"schemaVersion", 2},
            {"mediaType", "application/vnd.oci.image.index.v1+json"},
            {"manifests",
             json::array({{{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                           {"digest", m_manifestDigest},
                           {"size", m_manifest.size()},
                           {"platform", {{"os", "linux"}, {"architecture", "arm64"}}}},
                          {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                           {"digest", m_manifestDigest},
                           {"size", m_manifest.size()},
                           {"platform", {{"os", "linux"}, {"architecture", "amd64"}}}}})}};
        m_indexDigest = detail::sha256Digest(index.dump());
        QVERIFY(pushManifest("test/app", "multi", "application/vnd.oci.image.index.v1+json",
                             index.dump()));
    }

    // The registry stops with the test object (TestRegistry's destructor).

    void pullsByTagWithProgress() {
        ImageStore store(tmp() / "store1", {Snapshotter::Copy});
        RegistryOptions options;
        options.insecureRegistries = {registry()};
        RegistryClient client(store, options);
        std::vector<PullProgress> events;
        auto image = client.pull(registry() + "/test/app:1", {},
                                 [&](const PullProgress& p) { events.push_back(p); });
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().message().c_str());
        QCOMPARE(image->id, detail::sha256Digest(m_config));
        QCOMPARE(image->manifestDigest, m_manifestDigest);
        QCOMPARE(image->repoTags, std::vector<std::string>{registry() + "/test/app:1"});
        QCOMPARE(image->repoDigests,
                 std::vector<std::string>{registry() + "/test/app@" + m_manifestDigest});
        QCOMPARE(image->config.cmd, std::vector<std::string>{"/bin/true"});
        QVERIFY(!events.empty());
        QCOMPARE(events.front().phase, PullProgress::Phase::Resolving);
        QCOMPARE(events.back().phase, PullProgress::Phase::Done);
        QCOMPARE(events.back().imageBytesDone, m_layer0.size() + m_layer1.size());
        QVERIFY(std::any_of(events.begin(), events.end(), [](const PullProgress& p) {
            return p.phase == PullProgress::Phase::Downloading && p.bytesDone > 0;
        }));
        QVERIFY(store.find(registry() + "/test/app:1").ok());
        QVERIFY(store.find(registry() + "/test/app@" + m_manifestDigest).ok());

        const fs::path target = tmp() / "rootfs1";
        QVERIFY(store.prepareRootfs(image->id, "c1", target).ok());
        QCOMPARE(readAll(target / "etc/top"), std::string("top\n"));
        QVERIFY(!fs::exists(target / "etc/base"));
        QCOMPARE(fs::file_size(target / "big"), std::uintmax_t{300000});
        QVERIFY(store.releaseRootfs("c1").ok());

        // Pulling again finds every blob present and gives the same image.
        auto again = client.pull(registry() + "/test/app:1");
        QVERIFY(again.ok());
        QCOMPARE(again->id, image->id);
        QCOMPARE(store.list().size(), std::size_t{1});
    }

    void pullsIndexAndDigest() {
        ImageStore store(tmp() / "store2");
        RegistryClient client(store, {.insecureRegistries = {registry()}});
        auto multi = client.pull(registry() + "/test/app:multi");
        QVERIFY2(multi.ok(), multi.ok() ? "" : multi.error().message().c_str());
        QCOMPARE(multi->id, detail::sha256Digest(m_config));
        // Found again by the index's digest as well as by the image manifest's.
        QVERIFY(store.find(registry() + "/test/app@" + m_indexDigest).ok());
        QVERIFY(store.find(registry() + "/test/app@" + m_manifestDigest).ok());
        QVERIFY(store.find(registry() + "/test/app:multi").ok());
        auto byDigest = client.pull(registry() + "/test/app@" + m_manifestDigest);
        QVERIFY2(byDigest.ok(), byDigest.ok() ? "" : byDigest.error().message().c_str());
        QCOMPARE(byDigest->id, multi->id);
        QCOMPARE(store.list().size(), std::size_t{1});
    }

    void resumesAndRecoversPartialDownloads() {
        ImageStore store(tmp() / "store3");
        RegistryClient client(store, {.insecureRegistries = {registry()}});
        // Half a layer already on disk from an interrupted pull: the pull resumes with Range.
        const fs::path staging = store.stagingDirectory();
        std::ofstream(staging / (detail::digestHex(detail::sha256Digest(m_layer0)) + ".partial"),
                      std::ios::binary)
            << m_layer0.substr(0, m_layer0.size() / 2);
        // A damaged partial download of the other layer: detected by sha256, fetched afresh.
        std::ofstream(staging / (detail::digestHex(detail::sha256Digest(m_layer1)) + ".partial"),
                      std::ios::binary)
            << std::string(10, 'z');
        auto image = client.pull(registry() + "/test/app:1");
        QVERIFY2(image.ok(), image.ok() ? "" : image.error().message().c_str());
        QVERIFY(store.hasBlob(detail::sha256Digest(m_layer0)));
        QVERIFY(store.hasBlob(detail::sha256Digest(m_layer1)));
        QVERIFY(store.prepareRootfs(image->id, "c3", tmp() / "rootfs3").ok());
        QCOMPARE(readAll(tmp() / "rootfs3/etc/top"), std::string("top\n"));
        QVERIFY(store.releaseRootfs("c3").ok());
    }

    void reportsFailures() {
        ImageStore store(tmp() / "store4");
        RegistryClient client(store, {.insecureRegistries = {registry(), "127.0.0.1:1"},
                                      .attempts = 1,
                                      .timeout = std::chrono::seconds(5)});
        auto missingTag = client.pull(registry() + "/test/app:nope");
        QVERIFY(!missingTag.ok());
        QCOMPARE(missingTag.error().code(), core::ErrorCode::NotFound);
        QVERIFY2(missingTag.error().message().find("MANIFEST_UNKNOWN") != std::string::npos,
                 missingTag.error().message().c_str());
        auto missingRepo = client.pull(registry() + "/nothing/here:1");
        QVERIFY(!missingRepo.ok());
        QCOMPARE(missingRepo.error().code(), core::ErrorCode::NotFound);
        auto refused = client.pull("127.0.0.1:1/test/app:1");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code(), core::ErrorCode::Network);
        auto bad = client.pull("Not A Reference");
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code(), core::ErrorCode::Invalid);
        QVERIFY(store.list().empty());
    }

    void parsesDockerConfigJson() {
        // base64("alice:s3cret:with:colons") and a username/password entry.
        const std::string config =
            "{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": "
            "\"YWxpY2U6czNjcmV0OndpdGg6Y29sb25z\"}, \"localhost:5000\": {\"username\": \"bob\", "
            "\"password\": \"pw\"}, \"http://quay.io/v2/\": {\"auth\": \"Ym9iOg==\"}}}";
        auto creds = parseDockerConfigJson(config);
        QVERIFY(creds.ok());
        QCOMPARE(creds->size(), std::size_t{3});
        QCOMPARE(creds->at("docker.io").username, std::string("alice"));
        QCOMPARE(creds->at("docker.io").password, std::string("s3cret:with:colons"));
        QCOMPARE(creds->at("localhost:5000").username, std::string("bob"));
        QCOMPARE(creds->at("localhost:5000").password, std::string("pw"));
        QCOMPARE(creds->at("quay.io").username, std::string("bob"));
        QCOMPARE(creds->at("quay.io").password, std::string());
        QVERIFY(!parseDockerConfigJson("[").ok());
        QVERIFY(!parseDockerConfigJson("{\"auths\": {\"x\": {\"auth\": \"bm9jb2xvbg==\"}}}").ok());
    }

    void parsesAuthChallenges() {
        auto bearer = detail::parseAuthChallenge(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
            "scope=\"repository:library/nginx:pull\"");
        QCOMPARE(bearer.scheme, std::string("Bearer"));
        QCOMPARE(bearer.params["realm"], std::string("https://auth.docker.io/token"));
        QCOMPARE(bearer.params["service"], std::string("registry.docker.io"));
        QCOMPARE(bearer.params["scope"], std::string("repository:library/nginx:pull"));
        auto basic = detail::parseAuthChallenge("Basic realm=\"Registry Realm\"");
        QCOMPARE(basic.scheme, std::string("Basic"));
        QCOMPARE(basic.params["realm"], std::string("Registry Realm"));
        QCOMPARE(detail::credentialHost("https://index.docker.io/v1/"), std::string("docker.io"));
        QCOMPARE(detail::credentialHost("Registry.Example.com:5000/path"),
                 std::string("registry.example.com:5000"));
    }
};

QTEST_GUILESS_MAIN(TestRegistryClient)
#include "tst_registry_client.moc"
