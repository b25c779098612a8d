// SPDX-License-Identifier: Apache-2.0
// The node agent's image store (engine/agent/images): loading docker-archive and OCI layout
// tarballs, lookups by normalised reference, root filesystems by overlay and by copy, removal
// and garbage collection, and the demo images the build makes.
#include <atomic>
#include <fstream>
#include <thread>

#include <QtTest>
#include <archive.h>
#include <archive_entry.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/agent/images/demo_images.h"
#include "engine/agent/images/image_store.h"
#include "engine/agent/images/oci_archive_writer.h"
#include "engine/agent/images/sha256.h"

using namespace slipway;
using namespace slipway::agent::images;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

bool isRoot() {
    return ::geteuid() == 0;
}

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void writeAll(const fs::path& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

bool lexists(const fs::path& p) {
    struct stat st {};
    return ::lstat(p.c_str(), &st) == 0;
}

la_ssize_t appendTo(struct archive*, void* data, const void* buffer, size_t length) {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

struct TarFile {
    std::string name;
    std::string content;
    std::string symlink;  // non-empty: a symlink entry
};

// A tar of plain files (and symlinks), made with libarchive, optionally gzip-compressed.
std::string makeTar(const std::vector<TarFile>& files, bool gzip) {
    std::string out;
    struct archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (gzip) {
        archive_write_add_filter_gzip(a);
    }
    archive_write_open(a, &out, nullptr, appendTo, nullptr);
    for (const auto& f : files) {
        struct archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, f.name.c_str());
        if (!f.symlink.empty()) {
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, f.symlink.c_str());
            archive_entry_set_perm(e, 0777);
        } else {
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, static_cast<la_int64_t>(f.content.size()));
        }
        archive_write_header(a, e);
        if (f.symlink.empty()) {
            archive_write_data(a, f.content.data(), f.content.size());
        }
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

std::string hexOf(const std::string& digest) {
    return detail::digestHex(digest);
}

// Bottom layer: files, a directory that a later layer makes opaque, links.
std::string baseLayer() {
    LayerBuilder layer;
    layer.addFile("etc/keep", "kept\n");
    layer.addFile("etc/gone", "deleted by the top layer\n");
    layer.addFile("data/x", "x\n");
    layer.addFile("data/sub/y", "y\n");
    layer.addFile("bin/tool", "#!/bin/sh\necho tool\n", 0755);
    layer.addSymlink("bin/alias", "tool");
    layer.addSymlink("abs", "/etc/keep");
    layer.addHardlink("bin/tool2", "bin/tool");
    layer.addDirectory("tmp", 01777);
    return *layer.build();
}

// Top layer (gzip): deletes etc/gone, empties data/ and adds data/z, replaces bin/alias.
std::string topLayer() {
    LayerBuilder layer;
    layer.addWhiteout("etc/gone");
    layer.addOpaqueMarker("data");
    layer.addFile("data/z", "z\n");
    layer.addFile("etc/new", "new\n", 0600);
    layer.addFile("bin/alias", "now a file\n");
    return *layer.build(true);
}

ImageSpec testSpec(const std::string& reference) {
    ImageSpec spec;
    spec.references = {reference};
    spec.config.entrypoint = {"/bin/tool"};
    spec.config.cmd = {"--flag"};
    spec.config.env = {"PATH=/bin", "A=b"};
    spec.config.workingDir = "/data";
    spec.config.user = "1000:1000";
    spec.config.exposedPorts = {"8080/tcp", "53/udp"};
    spec.layers = {baseLayer(), topLayer()};
    return spec;
}

// A `docker save` style archive: <id>/layer.tar, <id>.json config, manifest.json with
// RepoTags, a legacy `repositories` file; gzip-compressed as a whole.
std::string dockerArchive(const std::vector<std::string>& repoTags, const std::string& marker) {
    LayerBuilder layer;
    layer.addFile("hello.txt", "hello from docker " + marker + "\n");
    layer.addDirectory("empty");
    const std::string tar = *layer.build();
    const std::string diffId = detail::sha256Digest(tar);
    json config = {
        {"architecture", "amd64"},
        {"os", "linux"},
        {"config",
         {{"Cmd", json::array({"cat", "/hello.txt"})}, {"Env", json::array({"X=" + marker})}}},
        {"rootfs", {{"type", "layers"}, {"diff_ids", json::array({diffId})}}}};
    const std::string configText = config.dump();
    const std::string configHex = hexOf(detail::sha256Digest(configText));
    const std::string layerDir = std::string(64, 'a');
    json manifest = json::array({{{"Config", configHex + ".json"},
                                  {"RepoTags", repoTags},
                                  {"Layers", json::array({layerDir + "/layer.tar"})}}});
    return makeTar({{configHex + ".json", configText, {}},
                    {layerDir + "/layer.tar", tar, {}},
                    {layerDir + "/VERSION", "1.0", {}},
                    {"manifest.json", manifest.dump(), {}},
                    {"repositories", "{}", {}}},
                   true);
}

bool mounted(const fs::path& target) {
    const std::string mountinfo = readAll("/proc/self/mountinfo");
    return mountinfo.find(" " + target.string() + " ") != std::string::npos;
}

quint16 freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

// A plain HTTP/1.0 GET on loopback; the whole response, or "" when nothing answers.
std::string httpGet(quint16 port, const std::string& path) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return {};
    }
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
    if (::write(fd, request.data(), request.size()) < 0) {
        ::close(fd);
        return {};
    }
    std::string response;
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd, buffer, sizeof buffer)) > 0) {
        response.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return response;
}

fs::path demoDir() {
    return SLIPWAY_DEMO_IMAGES_DIR;
}

}  // namespace

class TestImageStore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    fs::path tmp() const { return m_tmp.path().toStdString(); }

    fs::path writeArchive(const std::string& name, const std::string& content) {
        const fs::path path = tmp() / name;
        writeAll(path, content);
        return path;
    }

    // The files every rootfs of testSpec() must show, whichever way it was made.
    void checkTestRootfs(const fs::path& root) {
        QCOMPARE(readAll(root / "etc/keep"), std::string("kept\n"));
        QVERIFY(!lexists(root / "etc/gone"));
        QCOMPARE(readAll(root / "etc/new"), std::string("new\n"));
        QVERIFY(!lexists(root / "data/x"));
        QVERIFY(!lexists(root / "data/sub"));
        QCOMPARE(readAll(root / "data/z"), std::string("z\n"));
        QVERIFY(fs::is_symlink(root / "abs"));
        QCOMPARE(fs::read_symlink(root / "abs").string(), std::string("/etc/keep"));
        QVERIFY(!fs::is_symlink(root / "bin/alias"));
        QCOMPARE(readAll(root / "bin/alias"), std::string("now a file\n"));
        QCOMPARE(readAll(root / "bin/tool2"), readAll(root / "bin/tool"));
        struct stat st {};
        QCOMPARE(::stat((root / "bin/tool").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0755u);
        QCOMPARE(::stat((root / "etc/new").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0600u);
        QCOMPARE(::stat((root / "tmp").c_str(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 01777u);
        QCOMPARE(st.st_mtime, static_cast<time_t>(kReproducibleMtime));
        // No whiteout markers leak into the container's view.
        QVERIFY(!lexists(root / "etc/.wh.gone"));
        QVERIFY(!lexists(root / "data/.wh..wh..opq"));
    }

private slots:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void loadsOciLayout() {
        const fs::path root = tmp() / "oci";
        ImageStore store(root);
        auto spec = testSpec("test.local/app:1");
        auto archive = writeOciArchive({spec});
        QVERIFY(archive.ok());
        auto loaded = store.loadArchive(writeArchive("oci.tar", *archive));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->size(), std::size_t{1});
        const Image image = loaded->front();
        QVERIFY(isSha256Digest(image.id));
        QCOMPARE(image.repoTags, std::vector<std::string>{"test.local/app:1"});
        QCOMPARE(image.repoDigests,
                 std::vector<std::string>{"test.local/app@" + image.manifestDigest});
        QCOMPARE(image.layerDigests.size(), std::size_t{2});
        QCOMPARE(image.diffIds.size(), std::size_t{2});
        QVERIFY(image.sizeBytes > 0);
        QCOMPARE(image.config.entrypoint, std::vector<std::string>{"/bin/tool"});
        QCOMPARE(image.config.cmd, std::vector<std::string>{"--flag"});
        QCOMPARE(image.config.env, (std::vector<std::string>{"PATH=/bin", "A=b"}));
        QCOMPARE(image.config.workingDir, std::string("/data"));
        QCOMPARE(image.config.user, std::string("1000:1000"));
        QCOMPARE(image.config.exposedPorts, (std::vector<std::string>{"53/udp", "8080/tcp"}));
        QCOMPARE(image.config.architecture, std::string("amd64"));

        // Blobs are content-addressed on disk.
        QVERIFY(fs::exists(root / "images/blobs/sha256" / hexOf(image.id)));
        QVERIFY(fs::exists(root / "images/blobs/sha256" / hexOf(image.layerDigests[1])));

        // Every way of naming it finds it.
        for (const std::string& name : std::vector<std::string>{
                 "test.local/app:1", "test.local/app@" + image.manifestDigest, image.id,
                 hexOf(image.id).substr(0, 12), "sha256:" + hexOf(image.id).substr(0, 16)}) {
            auto found = store.find(name);
            QVERIFY2(found.ok(), name.c_str());
            QCOMPARE(found->id, image.id);
        }
        QCOMPARE(store.find("test.local/app:2").error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store.find("test.local/app").error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store.find("Bad Name").error().code(), core::ErrorCode::Invalid);
        QCOMPARE(store.list().size(), std::size_t{1});

        // A second store on the same root (an agent restart) sees the same image.
        ImageStore reopened(root);
        auto again = reopened.find("test.local/app:1");
        QVERIFY(again.ok());
        QCOMPARE(again->id, image.id);
        QCOMPARE(again->config.env, image.config.env);
        QCOMPARE(again->sizeBytes, image.sizeBytes);
    }

    void loadsDockerArchive() {
        ImageStore store(tmp() / "docker");
        auto loaded = store.loadArchive(
            writeArchive("docker.tar.gz", dockerArchive({"app:2", "quay.io/x/app:3"}, "1")));
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
        QCOMPARE(loaded->size(), std::size_t{1});
        const Image image = loaded->front();
        QCOMPARE(image.repoTags,
                 (std::vector<std::string>{"docker.io/library/app:2", "quay.io/x/app:3"}));
        QVERIFY(image.repoDigests.empty());
        QVERIFY(isSha256Digest(image.manifestDigest));
        QCOMPARE(image.config.cmd, (std::vector<std::string>{"cat", "/hello.txt"}));
        for (const char* name :
             {"app:2", "docker.io/library/app:2", "library/app:2", "quay.io/x/app:3"}) {
            auto found = store.find(name);
            QVERIFY2(found.ok(), name);
            QCOMPARE(found->id, image.id);
        }
        auto rootfs = store.prepareRootfs("app:2", "c1", tmp() / "docker-rootfs");
        QVERIFY2(rootfs.ok(), rootfs.ok() ? "" : rootfs.error().message().c_str());
        QCOMPARE(readAll(tmp() / "docker-rootfs/hello.txt"), std::string("hello from docker 1\n"));
        QVERIFY(fs::is_directory(tmp() / "docker-rootfs/empty"));
        QVERIFY(store.releaseRootfs("c1").ok());

        // Loading another image with the same tag moves the tag, as docker load does.
        auto second =
            store.loadArchive(writeArchive("docker2.tar.gz", dockerArchive({"app:2"}, "2")));
        QVERIFY(second.ok());
        QVERIFY(second->front().id != image.id);
        QCOMPARE(store.find("app:2")->id, second->front().id);
        QCOMPARE(store.find(image.id)->repoTags, std::vector<std::string>{"quay.io/x/app:3"});
        QCOMPARE(store.list().size(), std::size_t{2});
    }

    void rejectsCorruptBlob() {
        const fs::path root = tmp() / "corrupt";
        ImageStore store(root);
        // A valid OCI archive, with one layer's bytes swapped for others under the same name.
        auto archive = writeOciArchive({testSpec("test.local/corrupt:1")});
        QVERIFY(archive.ok());
        const fs::path good = writeArchive("good.tar", *archive);
        const fs::path unpacked = tmp() / "corrupt-src";
        fs::create_directories(unpacked);
        std::vector<TarFile> files;
        {
            struct archive* a = archive_read_new();
            archive_read_support_format_tar(a);
            QCOMPARE(archive_read_open_filename(a, good.c_str(), 10240), ARCHIVE_OK);
            struct archive_entry* e = nullptr;
            while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
                if (archive_entry_filetype(e) != AE_IFREG) {
                    continue;
                }
                std::string content(static_cast<std::size_t>(archive_entry_size(e)), '\0');
                archive_read_data(a, content.data(), content.size());
                files.push_back({archive_entry_pathname(e), content, {}});
            }
            archive_read_free(a);
        }
        bool tampered = false;
        for (auto& f : files) {
            if (f.name.starts_with("blobs/") && f.content.size() > 1000 && !tampered) {
                f.content[f.content.size() / 2] ^= 0x01;
                tampered = true;
            }
        }
        QVERIFY(tampered);
        auto loaded = store.loadArchive(writeArchive("bad.tar", makeTar(files, false)));
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code(), core::ErrorCode::Invalid);
        QVERIFY2(loaded.error().message().find("corrupt") != std::string::npos,
                 loaded.error().message().c_str());
        QVERIFY(store.list().empty());

        // Not an image at all.
        auto notImage =
            store.loadArchive(writeArchive("plain.tar", makeTar({{"a", "b", {}}}, false)));
        QVERIFY(!notImage.ok());
        QCOMPARE(notImage.error().code(), core::ErrorCode::Invalid);
        QVERIFY(!store.loadArchive(tmp() / "missing.tar").ok());

        // A blob damaged on disk after loading is refused when read.
        auto ok = store.loadArchive(good);
        QVERIFY(ok.ok());
        const fs::path layerBlob =
            root / "images/blobs/sha256" / hexOf(ok->front().layerDigests[0]);
        fs::permissions(layerBlob, fs::perms::owner_write, fs::perm_options::add);
        std::string bytes = readAll(layerBlob);
        bytes[bytes.size() / 2] ^= 0x01;
        writeAll(layerBlob, bytes);
        auto rootfs = store.prepareRootfs(ok->front().id, "c-corrupt", tmp() / "corrupt-rootfs");
        QVERIFY(!rootfs.ok());
        QVERIFY2(rootfs.error().message().find("corrupt") != std::string::npos,
                 rootfs.error().message().c_str());
        QVERIFY(store.imagesWithRootfs().empty());
        // A damaged config drops the image when the store is opened again.
        const fs::path configBlob = root / "images/blobs/sha256" / hexOf(ok->front().id);
        fs::permissions(configBlob, fs::perms::owner_write, fs::perm_options::add);
        writeAll(configBlob, "{}");
        ImageStore reopened(root);
        QCOMPARE(reopened.find("test.local/corrupt:1").error().code(), core::ErrorCode::NotFound);
    }

    void refusesPathTraversal() {
        ImageStore store(tmp() / "traversal", {Snapshotter::Copy});
        const fs::path victim = tmp() / "victim";
        // "../../victim" climbs out of the layer; the symlink trick writes through a link.
        for (const auto& [name, layerTar] : std::vector<std::pair<std::string, std::string>>{
                 {"dotdot", makeTar({{"ok", "1", {}}, {"../../victim", "pwned", {}}}, false)},
                 {"symlink",
                  makeTar({{"esc", {}, tmp().string()}, {"esc/victim", "pwned", {}}}, false)}}) {
            ImageSpec spec;
            spec.references = {"test.local/" + name + ":1"};
            spec.layers = {layerTar};
            auto archive = writeOciArchive({spec});
            QVERIFY(archive.ok());
            auto loaded = store.loadArchive(writeArchive(name + ".tar", *archive));
            QVERIFY(loaded.ok());
            auto rootfs = store.prepareRootfs("test.local/" + name + ":1", "c-" + name,
                                              tmp() / ("rootfs-" + name));
            QVERIFY2(!rootfs.ok(), name.c_str());
            QCOMPARE(rootfs.error().code(), core::ErrorCode::Invalid);
            QVERIFY(!lexists(victim));
        }
        // An absolute path stays inside the rootfs.
        ImageSpec spec;
        spec.references = {"test.local/abs:1"};
        spec.layers = {makeTar({{"/etc/absolute", "inside", {}}}, false)};
        QVERIFY(store.loadArchive(writeArchive("abs.tar", *writeOciArchive({spec}))).ok());
        auto rootfs = store.prepareRootfs("test.local/abs:1", "c-abs", tmp() / "rootfs-abs");
        QVERIFY(rootfs.ok());
        QCOMPARE(readAll(tmp() / "rootfs-abs/etc/absolute"), std::string("inside"));
        QVERIFY(store.releaseRootfs("c-abs").ok());
        // Container ids are names, not paths.
        QCOMPARE(store.prepareRootfs("test.local/abs:1", "../x", tmp() / "r").error().code(),
                 core::ErrorCode::Invalid);
    }

    void preparesRootfsByCopy() {
        ImageStore store(tmp() / "copy", {Snapshotter::Copy});
        auto loaded = store.loadArchive(
            writeArchive("copy.tar", *writeOciArchive({testSpec("test.local/app:1")})));
        QVERIFY(loaded.ok());
        const fs::path target = tmp() / "copy-rootfs";
        auto rootfs = store.prepareRootfs("test.local/app:1", "c1", target);
        QVERIFY2(rootfs.ok(), rootfs.ok() ? "" : rootfs.error().message().c_str());
        QVERIFY(!rootfs->overlay);
        QCOMPARE(rootfs->path, target);
        checkTestRootfs(target);
        QCOMPARE(store.imagesWithRootfs(), std::set<std::string>{loaded->front().id});
        // Idempotent for the same container and target; another target is a conflict.
        QVERIFY(store.prepareRootfs("test.local/app:1", "c1", target).ok());
        QCOMPARE(store.prepareRootfs("test.local/app:1", "c1", tmp() / "elsewhere").error().code(),
                 core::ErrorCode::Conflict);
        // The container writes into its copy; the cached layers stay as they were.
        writeAll(target / "etc/keep", "changed");
        auto second = store.prepareRootfs("test.local/app:1", "c2", tmp() / "copy-rootfs2");
        QVERIFY(second.ok());
        QCOMPARE(readAll(tmp() / "copy-rootfs2/etc/keep"), std::string("kept\n"));

        QCOMPARE(store.remove("test.local/app:1").error().code(), core::ErrorCode::Conflict);
        QVERIFY(store.releaseRootfs("c1").ok());
        QVERIFY(fs::is_empty(target));
        QVERIFY(store.releaseRootfs("c1").ok());  // twice is fine
        // A restarted agent still knows c2's rootfs and can release it.
        {
            ImageStore reopened(tmp() / "copy", {Snapshotter::Copy});
            QCOMPARE(reopened.imagesWithRootfs(), std::set<std::string>{loaded->front().id});
            QVERIFY(reopened.releaseRootfs("c2").ok());
        }
        ImageStore reopened(tmp() / "copy", {Snapshotter::Copy});
        QVERIFY(reopened.imagesWithRootfs().empty());
        QVERIFY(reopened.remove("test.local/app:1").ok());
        QVERIFY(reopened.list().empty());
        for (const auto& e : fs::directory_iterator(tmp() / "copy/images/blobs/sha256")) {
            QFAIL(("left behind: " + e.path().string() + " " + readAll(e.path()).substr(0, 200))
                      .c_str());
        }
        QVERIFY(fs::is_empty(tmp() / "copy/images/layers"));
    }

    void forgetsPreparesACrashInterrupted() {
        const fs::path root = tmp() / "crash";
        std::string id;
        {
            ImageStore store(root, {Snapshotter::Copy});
            auto loaded = store.loadArchive(
                writeArchive("crash.tar", *writeOciArchive({testSpec("test.local/app:1")})));
            QVERIFY(loaded.ok());
            id = loaded->front().id;
        }
        // What a crash between recording a prepare and finishing it leaves behind.
        fs::create_directories(root / "images/containers/half/upper");
        const json state = {{"imageId", id},
                            {"target", (tmp() / "crash-rootfs").string()},
                            {"overlay", false},
                            {"ready", false}};
        writeAll(root / "images/containers/half/rootfs.json", state.dump());
        ImageStore store(root, {Snapshotter::Copy});
        QVERIFY(store.imagesWithRootfs().empty());
        QVERIFY(!fs::exists(root / "images/containers/half"));
        auto again = store.prepareRootfs(id, "half", tmp() / "crash-rootfs");
        QVERIFY(again.ok());
        checkTestRootfs(tmp() / "crash-rootfs");
        QVERIFY(store.releaseRootfs("half").ok());
        QVERIFY(store.remove(id).ok());
    }

    void preparesRootfsWithOverlay() {
        if (!isRoot()) {
            QSKIP("overlay mounts need root");
        }
        const fs::path root = tmp() / "overlay";
        ImageStore store(root, {Snapshotter::Overlay});
        auto loaded = store.loadArchive(
            writeArchive("overlay.tar", *writeOciArchive({testSpec("test.local/app:1")})));
        QVERIFY(loaded.ok());
        const fs::path target = tmp() / "overlay-rootfs";
        auto rootfs = store.prepareRootfs("test.local/app:1", "c1", target);
        QVERIFY2(rootfs.ok(), rootfs.ok() ? "" : rootfs.error().message().c_str());
        if (!rootfs->overlay) {
            QVERIFY(store.releaseRootfs("c1").ok());
            QSKIP("the kernel refused the overlay mount here");
        }
        QVERIFY(mounted(target));
        checkTestRootfs(target);
        // Writes go to the container's upper dir, not into the shared layer.
        writeAll(target / "etc/keep", "changed");
        QVERIFY(fs::exists(root / "images/containers/c1/upper/etc/keep"));
        const std::string base = hexOf(loaded->front().diffIds[0]);
        QCOMPARE(readAll(root / "images/layers" / base / "fs/etc/keep"), std::string("kept\n"));
        // A second container sees the image's content.
        auto second = store.prepareRootfs("test.local/app:1", "c2", tmp() / "overlay-rootfs2");
        QVERIFY(second.ok() && second->overlay);
        QCOMPARE(readAll(tmp() / "overlay-rootfs2/etc/keep"), std::string("kept\n"));

        QVERIFY(store.releaseRootfs("c1").ok());
        QVERIFY(!mounted(target));
        QVERIFY(!fs::exists(root / "images/containers/c1"));
        QVERIFY(store.releaseRootfs("c2").ok());
        QVERIFY(!mounted(tmp() / "overlay-rootfs2"));
    }

    void copyFallbackReadsOverlayLayers() {
        if (!isRoot()) {
            QSKIP("overlay-format layers need root");
        }
        // Layers unpacked as root carry overlay whiteouts; copying must apply them too.
        ImageStore store(tmp() / "overlay-copy", {Snapshotter::Copy});
        QVERIFY(store
                    .loadArchive(
                        writeArchive("oc.tar", *writeOciArchive({testSpec("test.local/app:1")})))
                    .ok());
        const fs::path target = tmp() / "overlay-copy-rootfs";
        auto rootfs = store.prepareRootfs("test.local/app:1", "c1", target);
        QVERIFY(rootfs.ok());
        QVERIFY(!rootfs->overlay);
        checkTestRootfs(target);
        QVERIFY(store.releaseRootfs("c1").ok());
    }

    void removesSharedLayersOnlyWhenUnused() {
        const fs::path root = tmp() / "shared";
        ImageStore store(root, {Snapshotter::Copy});
        auto one = testSpec("test.local/one:1");
        auto two = testSpec("test.local/two:1");
        two.config.env = {"DIFFERENT=1"};
        auto loaded = store.loadArchive(writeArchive("shared.tar", *writeOciArchive({one, two})));
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->size(), std::size_t{2});
        QCOMPARE((*loaded)[0].layerDigests, (*loaded)[1].layerDigests);
        QVERIFY((*loaded)[0].id != (*loaded)[1].id);
        QVERIFY(store.prepareRootfs("test.local/one:1", "c1", tmp() / "shared-rootfs").ok());
        QVERIFY(store.releaseRootfs("c1").ok());
        QVERIFY(store.remove("test.local/one:1").ok());
        QCOMPARE(store.find("test.local/one:1").error().code(), core::ErrorCode::NotFound);
        // The layers live on for test.local/two.
        for (const auto& digest : (*loaded)[1].layerDigests) {
            QVERIFY(fs::exists(root / "images/blobs/sha256" / hexOf(digest)));
        }
        QVERIFY(fs::exists(root / "images/layers" / hexOf((*loaded)[1].diffIds[0])));
        QVERIFY(store.prepareRootfs("test.local/two:1", "c2", tmp() / "shared-rootfs2").ok());
        checkTestRootfs(tmp() / "shared-rootfs2");
        QVERIFY(store.releaseRootfs("c2").ok());
        QVERIFY(store.tag("test.local/two:1", "alias:9").ok());
        QCOMPARE(store.find("alias:9")->id, (*loaded)[1].id);
        QCOMPARE(store.remove("test.local/nothing:1").error().code(), core::ErrorCode::NotFound);
    }

    void garbageCollectsLeastRecentlyUsedUnusedImages() {
        ImageStore store(tmp() / "gc", {Snapshotter::Copy});
        std::vector<std::string> ids;
        for (int i = 0; i < 4; ++i) {
            ImageSpec spec;
            spec.references = {"test.local/gc:" + std::to_string(i)};
            LayerBuilder layer;
            layer.addFile("payload", std::string(100000, static_cast<char>('a' + i)));
            spec.layers = {*layer.build()};
            auto loaded = store.loadArchive(
                writeArchive("gc" + std::to_string(i) + ".tar", *writeOciArchive({spec})));
            QVERIFY(loaded.ok());
            ids.push_back(loaded->front().id);
        }
        // Use order: 2, 0, 3, 1 → least recently used first is 2, then 0, then 3, then 1.
        for (int i : {2, 0, 3, 1}) {
            const std::string c = "c" + std::to_string(i);
            QVERIFY(
                store.prepareRootfs(ids[static_cast<std::size_t>(i)], c, tmp() / ("gc-" + c)).ok());
            QVERIFY(store.releaseRootfs(c).ok());
            QTest::qWait(5);
        }
        const std::uint64_t imageSize = store.find(ids[0])->sizeBytes;
        GcPolicy policy;  // 85 / 80

        // 84% used: below the high threshold, nothing happens.
        auto below = store.garbageCollect(policy, {}, DiskUsage{1000000, 160000});
        QVERIFY(below.ok());
        QVERIFY(below->removedImageIds.empty());

        // 90% used of 10 MB: free 10 MB * 20% - 1 MB = 1 MB... more than all images hold.
        auto tooMuch =
            store.garbageCollect(policy, {ids[0], ids[1], ids[3]}, DiskUsage{10000000, 1000000});
        QVERIFY(!tooMuch.ok());
        QCOMPARE(tooMuch.error().code(), core::ErrorCode::Unavailable);
        QVERIFY(tooMuch.error().message().starts_with(
            "Failed to garbage collect required amount of images"));
        // What could be freed was: image 2 (unused and least recently used).
        QCOMPARE(store.find(ids[2]).error().code(), core::ErrorCode::NotFound);
        QCOMPARE(store.list().size(), std::size_t{3});

        // Need a little over one image's worth: with image 0 in use, 3 and then 1 go... no,
        // only as many as needed: 3 (LRU among unused {1, 3}) frees enough.
        const std::uint64_t capacity = imageSize * 100;
        const std::uint64_t available = capacity * 20 / 100 - imageSize / 2;  // ~80.5% → no GC
        auto notYet = store.garbageCollect(policy, {ids[0]}, DiskUsage{capacity, available});
        QVERIFY(notYet.ok());
        QVERIFY(notYet->removedImageIds.empty());
        const std::uint64_t full = capacity * 10 / 100;  // 90% used: free 10% of capacity
        auto some = store.freeSpace(imageSize / 2, {ids[0]});
        QVERIFY(some.ok());
        QCOMPARE(some->removedImageIds, std::vector<std::string>{ids[3]});
        QVERIFY(some->freedBytes >= imageSize / 2);
        (void)full;

        // Images backing a prepared rootfs are in use even if the caller forgot them.
        QVERIFY(store.prepareRootfs(ids[1], "busy", tmp() / "gc-busy").ok());
        auto busy = store.freeSpace(1, {ids[0]});
        QVERIFY(!busy.ok());
        QCOMPARE(store.list().size(), std::size_t{2});
        QVERIFY(store.releaseRootfs("busy").ok());
        // Images named by reference count as in use too; the minimum age protects new images.
        auto young = store.freeSpace(1, {}, std::chrono::hours(1));
        QVERIFY(!young.ok());
        QCOMPARE(store.list().size(), std::size_t{2});
        auto byName = store.freeSpace(1, {"test.local/gc:0"});
        QVERIFY(byName.ok());
        QCOMPARE(byName->removedImageIds, std::vector<std::string>{ids[1]});
        QVERIFY(store.find(ids[0]).ok());
    }

    void concurrentRootfs() {
        ImageStore store(tmp() / "concurrent", {Snapshotter::Copy});
        QVERIFY(store
                    .loadArchive(
                        writeArchive("conc.tar", *writeOciArchive({testSpec("test.local/app:1")})))
                    .ok());
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 6; ++i) {
            threads.emplace_back([&, i] {
                const std::string id = "t" + std::to_string(i);
                if (!store.prepareRootfs("test.local/app:1", id, tmp() / ("conc-" + id)).ok()) {
                    ++failures;
                }
                (void)store.list();
                (void)store.find("test.local/app:1");
            });
        }
        for (auto& t : threads) {
            t.join();
        }
        QCOMPARE(failures.load(), 0);
        for (int i = 0; i < 6; ++i) {
            checkTestRootfs(tmp() / ("conc-t" + std::to_string(i)));
            QVERIFY(store.releaseRootfs("t" + std::to_string(i)).ok());
        }
    }

    void demoImagesLoad() {
        const fs::path dir = demoDir();
        if (!fs::exists(dir / "hello-1.tar")) {
            QSKIP("the demo images were not built (no busybox-static)");
        }
        ImageStore store(tmp() / "demo", {Snapshotter::Copy});
        for (const auto& demo : kDemoImages) {
            auto loaded = store.loadArchive(dir / std::string(demo.file));
            QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().message().c_str());
            QCOMPARE(loaded->front().repoTags,
                     std::vector<std::string>{std::string(demo.reference)});
        }
        auto hello1 = store.find("slipway.local/hello:1");
        auto hello2 = store.find("slipway.local/hello:2");
        auto busybox = store.find("slipway.local/busybox:1");
        QVERIFY(hello1.ok() && hello2.ok() && busybox.ok());
        QCOMPARE(hello1->config.entrypoint, std::vector<std::string>{"/hello/start.sh"});
        QCOMPARE(hello1->config.exposedPorts, std::vector<std::string>{"8080/tcp"});
        QVERIFY(std::count(hello1->config.env.begin(), hello1->config.env.end(),
                           "HELLO_VERSION=1") == 1);
        QVERIFY(std::count(hello2->config.env.begin(), hello2->config.env.end(),
                           "HELLO_COLOUR=green") == 1);
        QCOMPARE(busybox->config.cmd, std::vector<std::string>{"sh"});
        QVERIFY(std::count(busybox->config.env.begin(), busybox->config.env.end(),
                           "PATH=/usr/sbin:/usr/bin:/sbin:/bin") == 1);
        // One busybox layer shared by all three.
        QCOMPARE(hello1->layerDigests[0], hello2->layerDigests[0]);
        QCOMPARE(hello1->layerDigests[0], busybox->layerDigests[0]);

        const fs::path target = tmp() / "demo-rootfs";
        QVERIFY(store.prepareRootfs("slipway.local/hello:2", "demo", target).ok());
        QCOMPARE(readAll(target / "bin/busybox"), readAll("/bin/busybox"));
        QCOMPARE(fs::read_symlink(target / "bin/sh").string(), std::string("/bin/busybox"));
        QCOMPARE(fs::read_symlink(target / "usr/sbin/httpd").string(), std::string("/bin/busybox"));
        QVERIFY(fs::is_regular_file(target / "hello/start.sh"));
        QVERIFY((fs::status(target / "hello/start.sh").permissions() & fs::perms::owner_exec) !=
                fs::perms::none);
        QVERIFY(fs::is_directory(target / "www"));
        QVERIFY(store.releaseRootfs("demo").ok());
    }

    void helloServesItsPage() {
        if (!isRoot()) {
            QSKIP("chroot needs root");
        }
        if (!fs::exists(demoDir() / "hello-1.tar")) {
            QSKIP("the demo images were not built");
        }
        ImageStore store(tmp() / "hello", {Snapshotter::Copy});
        QVERIFY(store.loadArchive(demoDir() / "hello-1.tar").ok());
        const fs::path target = tmp() / "hello-rootfs";
        QVERIFY(store.prepareRootfs("slipway.local/hello:1", "hello", target).ok());
        // The image's entrypoint in a chroot, on a free loopback port instead of 8080.
        const quint16 port = freePort();
        QProcess process;
        QProcessEnvironment env;
        env.insert(QStringLiteral("PATH"), QStringLiteral("/usr/sbin:/usr/bin:/sbin:/bin"));
        env.insert(QStringLiteral("HELLO_VERSION"), QStringLiteral("1"));
        env.insert(QStringLiteral("HELLO_COLOUR"), QStringLiteral("blue"));
        env.insert(QStringLiteral("HELLO_PORT"), QString::number(port));
        env.insert(QStringLiteral("HOSTNAME"), QStringLiteral("hello-7d9f-abcde"));
        process.setProcessEnvironment(env);
        process.start(QStringLiteral("/usr/sbin/chroot"),
                      {QString::fromStdString(target.string()), QStringLiteral("/hello/start.sh")});
        QVERIFY(process.waitForStarted());
        struct Stop {
            QProcess& p;
            ~Stop() {
                if (p.state() != QProcess::NotRunning) {
                    p.terminate();
                    if (!p.waitForFinished(5000)) {
                        p.kill();
                        p.waitForFinished(5000);
                    }
                }
            }
        } stop{process};
        std::string page;
        QTRY_VERIFY_WITH_TIMEOUT(!(page = httpGet(port, "/")).empty(), 10000);
        QVERIFY2(page.substr(0, page.find('\r')).ends_with(" 200 OK"), page.c_str());
        QVERIFY(page.find("hello, version 1") != std::string::npos);
        QVERIFY(page.find("pod: hello-7d9f-abcde") != std::string::npos);
        QVERIFY(page.find("background: blue") != std::string::npos);
        const std::string health = httpGet(port, "/healthz");
        QVERIFY2(health.substr(0, health.find('\r')).ends_with(" 200 OK"), health.c_str());
        QVERIFY(health.ends_with("\r\n\r\nok\n"));
        // SIGTERM ends it at once (no waiting for a grace period).
        process.terminate();
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 0);
        QVERIFY(store.releaseRootfs("hello").ok());
    }

    void mkimageIsReproducible() {
        const QString bin =
            qEnvironmentVariable("SLIPWAY_BIN_DIR") + QStringLiteral("/slipway-mkimage");
        if (!QFileInfo::exists(bin) || !fs::exists("/bin/busybox") ||
            !fs::exists(demoDir() / "busybox-1.tar")) {
            QSKIP("slipway-mkimage or busybox missing");
        }
        // The same arguments as the build's busybox image (resources/images/CMakeLists.txt).
        std::vector<std::string> outputs;
        for (int run = 0; run < 2; ++run) {
            const QString out =
                QString::fromStdString((tmp() / ("repro" + std::to_string(run) + ".tar")).string());
            QProcess p;
            p.start(bin,
                    {QStringLiteral("--output"), out, QStringLiteral("--reference"),
                     QStringLiteral("slipway.local/busybox:1"), QStringLiteral("--busybox"),
                     QStringLiteral("/bin/busybox"), QStringLiteral("--cmd"), QStringLiteral("sh"),
                     QStringLiteral("--env"), QStringLiteral("PATH=/usr/sbin:/usr/bin:/sbin:/bin"),
                     QStringLiteral("--workdir"), QStringLiteral("/"), QStringLiteral("--label"),
                     QStringLiteral("org.opencontainers.image.title=busybox")});
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            outputs.push_back(readAll(out.toStdString()));
            QTest::qWait(1100);  // a different second, so a timestamp would show
        }
        QVERIFY(!outputs[0].empty());
        QVERIFY(outputs[0] == outputs[1]);
        QVERIFY(outputs[0] == readAll(demoDir() / "busybox-1.tar"));
        // And the writer itself, with gzip layers.
        auto a = writeOciArchive({testSpec("test.local/app:1")});
        auto b = writeOciArchive({testSpec("test.local/app:1")});
        QVERIFY(a.ok() && b.ok());
        QVERIFY(*a == *b);
    }
};

QTEST_GUILESS_MAIN(TestImageStore)
#include "tst_image_store.moc"
