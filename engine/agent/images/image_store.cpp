// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/image_store.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <system_error>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "engine/agent/images/layer.h"
#include "engine/agent/images/sha256.h"
#include "engine/core/atomic_file.h"

namespace slipway::agent::images {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using detail::WhiteoutFormat;
using Clock = std::chrono::system_clock;

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
constexpr std::string_view kOciLayer = "application/vnd.oci.image.layer.v1.tar";
constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";
constexpr std::string_view kContainerdNameAnnotation = "io.containerd.image.name";
// Metadata files of an archive are read into memory; anything larger is a blob.
constexpr std::uint64_t kMaxMetadataBytes = 4 << 20;

core::Error ioError(const std::string& what, int err = errno) {
    return core::Error(core::ErrorCode::Io, what + ": " + std::strerror(err));
}

core::Error invalid(std::string message) {
    return core::Error(core::ErrorCode::Invalid, std::move(message));
}

core::Error notFound(std::string_view reference) {
    return core::Error(core::ErrorCode::NotFound,
                       "image \"" + std::string(reference) + "\" not found");
}

std::int64_t toNanos(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

Clock::time_point fromNanos(std::int64_t ns) {
    return Clock::time_point(
        std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

std::string randomSuffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    auto value = rng();
    for (int i = 0; i < 12; ++i) {
        out += kHex[value & 0xf];
        value >>= 4;
    }
    return out;
}

bool validContainerId(std::string_view id) {
    if (id.empty() || id.size() > 128 || id == "." || id == "..") {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
}

std::vector<std::string> stringArray(const json& j) {
    std::vector<std::string> out;
    if (j.is_array()) {
        for (const auto& item : j) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

std::string stringField(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

ImageConfig parseConfig(const json& doc) {
    ImageConfig config;
    config.architecture = stringField(doc, "architecture");
    config.os = stringField(doc, "os");
    const auto it = doc.find("config");
    if (it == doc.end() || !it->is_object()) {
        return config;
    }
    const json& c = *it;
    config.entrypoint = stringArray(c.value("Entrypoint", json()));
    config.cmd = stringArray(c.value("Cmd", json()));
    config.env = stringArray(c.value("Env", json()));
    config.workingDir = stringField(c, "WorkingDir");
    config.user = stringField(c, "User");
    config.stopSignal = stringField(c, "StopSignal");
    if (const auto ports = c.find("ExposedPorts"); ports != c.end() && ports->is_object()) {
        for (const auto& [port, ignored] : ports->items()) {
            config.exposedPorts.push_back(port);
        }
        std::sort(config.exposedPorts.begin(), config.exposedPorts.end());
    }
    if (const auto labels = c.find("Labels"); labels != c.end() && labels->is_object()) {
        for (const auto& [key, value] : labels->items()) {
            if (value.is_string()) {
                config.labels[key] = value.get<std::string>();
            }
        }
    }
    return config;
}

bool overlayAvailable() {
    std::ifstream in("/proc/filesystems");
    std::string line;
    while (std::getline(in, line)) {
        if (line.ends_with("\toverlay") || line == "overlay") {
            return true;
        }
    }
    return false;
}

struct LayerRecord {
    std::string digest;
    std::string mediaType;
    std::uint64_t size = 0;
    std::string diffId;
};

struct ImageRecord {
    Image image;
    std::vector<LayerRecord> layers;
    std::uint64_t configSize = 0;
};

struct ContainerRecord {
    std::string imageId;
    fs::path target;
    bool overlay = false;
    bool ready = false;
};

// One archive being loaded: blobs already moved into the store, small files in memory.
struct ArchiveContents {
    std::map<std::string, std::string> digests;  // archive path → blob digest
    std::map<std::string, std::string> small;    // archive path → content (metadata)
    std::map<std::string, std::string> links;    // archive path → archive path it links to
    std::vector<std::string> newBlobs;           // blobs this load added to the store

    std::string resolve(std::string path) const {
        for (int hops = 0; hops < 16; ++hops) {
            const auto it = links.find(path);
            if (it == links.end()) {
                break;
            }
            path = it->second;
        }
        return path;
    }
};

}  // namespace

class ImageStore::Impl {
public:
    Impl(fs::path root, Options options)
        : m_root(std::move(root)), m_dir(m_root / "images"), m_options(options) {}

    fs::path blobPath(std::string_view digest) const {
        return m_dir / "blobs" / "sha256" / detail::digestHex(digest);
    }
    fs::path layerDir(std::string_view diffId) const {
        return m_dir / "layers" / detail::digestHex(diffId);
    }
    fs::path containerDir(std::string_view id) const {
        return m_dir / "containers" / std::string(id);
    }
    fs::path tmpDir() const { return m_dir / "tmp"; }

    // ---- opening --------------------------------------------------------------------------

    core::Result<void> ensureOpenLocked() {
        if (m_opened) {
            return core::success();
        }
        std::error_code ec;
        for (const auto& d :
             {m_dir / "blobs" / "sha256", m_dir / "layers", m_dir / "containers", tmpDir()}) {
            fs::create_directories(d, ec);
            if (ec) {
                return ioError("creating " + d.string(), ec.value());
            }
        }
        // Leftovers of interrupted loads and unpacks.
        for (const auto& d : {tmpDir(), m_dir / "layers"}) {
            for (fs::directory_iterator it(d, ec), end; !ec && it != end; it.increment(ec)) {
                const auto name = it->path().filename().string();
                if (d == tmpDir() || name.starts_with("tmp-")) {
                    std::error_code ignored;
                    fs::remove_all(it->path(), ignored);
                }
            }
        }
        auto content = core::readFile(m_dir / "index.json");
        if (!content && content.error().code() != core::ErrorCode::NotFound) {
            return content.error();
        }
        if (content) {
            json doc = json::parse(*content, nullptr, false);
            if (doc.is_discarded() || !doc.is_object()) {
                return invalid("image index " + (m_dir / "index.json").string() + " is corrupt");
            }
            for (const auto& item : doc.value("images", json::array())) {
                ImageRecord record;
                record.image.id = stringField(item, "id");
                record.image.manifestDigest = stringField(item, "manifest");
                record.image.repoTags = stringArray(item.value("repoTags", json()));
                record.image.repoDigests = stringArray(item.value("repoDigests", json()));
                record.configSize = item.value("configSize", std::uint64_t{0});
                record.image.created = fromNanos(item.value("created", std::int64_t{0}));
                record.image.lastUsed = fromNanos(item.value("lastUsed", std::int64_t{0}));
                for (const auto& l : item.value("layers", json::array())) {
                    record.layers.push_back({stringField(l, "digest"), stringField(l, "mediaType"),
                                             l.value("size", std::uint64_t{0}),
                                             stringField(l, "diffID")});
                }
                auto config = readBlobLocked(record.image.id);
                if (!config) {
                    spdlog::warn("image store: dropping image {}: {}", record.image.id,
                                 config.error().message());
                    continue;
                }
                json configDoc = json::parse(*config, nullptr, false);
                if (configDoc.is_discarded()) {
                    spdlog::warn("image store: dropping image {}: config is not JSON",
                                 record.image.id);
                    continue;
                }
                record.image.config = parseConfig(configDoc);
                fillDerived(record);
                m_images[record.image.id] = std::move(record);
            }
        }
        std::vector<fs::path> containerDirs;
        for (fs::directory_iterator it(m_dir / "containers", ec), end; !ec && it != end;
             it.increment(ec)) {
            containerDirs.push_back(it->path());
        }
        for (auto it = containerDirs.begin(); it != containerDirs.end(); ++it) {
            auto state = core::readFile(*it / "rootfs.json");
            if (!state) {
                continue;
            }
            json doc = json::parse(*state, nullptr, false);
            if (doc.is_discarded()) {
                continue;
            }
            ContainerRecord record;
            record.imageId = stringField(doc, "imageId");
            record.target = stringField(doc, "target");
            record.overlay = doc.value("overlay", false);
            record.ready = doc.value("ready", false);
            if (!record.ready) {
                // A prepare that a crash interrupted: undo whatever part of it happened.
                ::umount2(record.target.c_str(), MNT_DETACH);
                std::error_code ignored;
                fs::remove_all(*it, ignored);
                continue;
            }
            m_containers[it->filename().string()] = std::move(record);
        }
        m_opened = true;
        return core::success();
    }

    static void fillDerived(ImageRecord& record) {
        record.image.layerDigests.clear();
        record.image.diffIds.clear();
        record.image.sizeBytes = record.configSize;
        for (const auto& l : record.layers) {
            record.image.layerDigests.push_back(l.digest);
            record.image.diffIds.push_back(l.diffId);
            record.image.sizeBytes += l.size;
        }
    }

    core::Result<void> saveIndexLocked() {
        json images = json::array();
        for (const auto& [id, record] : m_images) {
            json layers = json::array();
            for (const auto& l : record.layers) {
                layers.push_back({{"digest", l.digest},
                                  {"mediaType", l.mediaType},
                                  {"size", l.size},
                                  {"diffID", l.diffId}});
            }
            images.push_back({{"id", id},
                              {"manifest", record.image.manifestDigest},
                              {"repoTags", record.image.repoTags},
                              {"repoDigests", record.image.repoDigests},
                              {"configSize", record.configSize},
                              {"layers", layers},
                              {"created", toNanos(record.image.created)},
                              {"lastUsed", toNanos(record.image.lastUsed)}});
        }
        json doc = {{"version", 1}, {"images", images}};
        return core::writeFileAtomically(m_dir / "index.json", doc.dump(2));
    }

    // ---- blobs ----------------------------------------------------------------------------

    /// Reads a blob and checks it still has the digest it is stored under.
    core::Result<std::string> readBlobLocked(std::string_view digest) const {
        if (!isSha256Digest(digest)) {
            return invalid("bad digest \"" + std::string(digest) + "\"");
        }
        auto content = core::readFile(blobPath(digest));
        if (!content) {
            return content.error().wrap("blob " + std::string(digest));
        }
        const std::string actual = detail::sha256Digest(*content);
        if (actual != digest) {
            return invalid("blob " + std::string(digest) + " is corrupt: its content has " +
                           actual);
        }
        return content;
    }

    /// Moves a verified temporary file into the blob store under `digest`.
    core::Result<void> commitBlob(const fs::path& temp, std::string_view digest) {
        const fs::path target = blobPath(digest);
        std::error_code ec;
        if (fs::exists(target, ec)) {
            fs::remove(temp, ec);
            return core::success();
        }
        const int fd = ::open(temp.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        ::chmod(temp.c_str(), 0444);
        fs::rename(temp, target, ec);
        if (ec) {
            return ioError("storing blob " + std::string(digest), ec.value());
        }
        return core::success();
    }

    // ---- loading archives -----------------------------------------------------------------

    core::Result<void> readArchive(const fs::path& tarball, const fs::path& work,
                                   ArchiveContents& out) {
        struct archive* a = archive_read_new();
        std::unique_ptr<struct archive, int (*)(struct archive*)> guard(a, archive_read_free);
        // Built-in decompressors only: no external programs on untrusted input.
        archive_read_support_filter_gzip(a);
        archive_read_support_filter_zstd(a);
        archive_read_support_filter_xz(a);
        archive_read_support_filter_bzip2(a);
        archive_read_support_format_tar(a);
        if (archive_read_open_filename(a, tarball.c_str(), 1 << 16) != ARCHIVE_OK) {
            return invalid("opening " + tarball.string() + ": " +
                           (archive_error_string(a) ? archive_error_string(a) : "unreadable"));
        }
        ArchiveContents& contents = out;
        std::error_code ec;
        struct archive_entry* entry = nullptr;
        int counter = 0;
        for (;;) {
            const int rc = archive_read_next_header(a, &entry);
            if (rc == ARCHIVE_EOF) {
                break;
            }
            if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
                return invalid("reading " + tarball.filename().string() + ": " +
                               (archive_error_string(a) ? archive_error_string(a) : "corrupt"));
            }
            const char* rawName = archive_entry_pathname(entry);
            if (rawName == nullptr) {
                continue;
            }
            auto name = detail::cleanArchivePath(rawName);
            if (!name) {
                return name.error();
            }
            if (const char* hard = archive_entry_hardlink(entry)) {
                auto target = detail::cleanArchivePath(hard);
                if (!target) {
                    return target.error();
                }
                contents.links[*name] = *target;
                continue;
            }
            const auto type = archive_entry_filetype(entry);
            if (type == AE_IFLNK) {
                const char* target = archive_entry_symlink(entry);
                if (target == nullptr || target[0] == '/') {
                    continue;
                }
                auto resolved = detail::cleanArchivePath(
                    (fs::path(*name).parent_path() / target).lexically_normal().string());
                if (resolved) {
                    contents.links[*name] = *resolved;
                }
                continue;
            }
            if (type != AE_IFREG) {
                continue;
            }
            const auto size = static_cast<std::uint64_t>(archive_entry_size(entry));
            const bool metadata =
                !name->starts_with("blobs/") && size <= kMaxMetadataBytes &&
                (name->ends_with(".json") || *name == "oci-layout" || *name == "repositories");
            const fs::path temp = work / ("blob-" + std::to_string(counter++));
            const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (fd < 0) {
                return ioError("creating " + temp.string());
            }
            detail::Sha256 hash;
            std::string kept;
            std::array<char, 1 << 16> buffer{};
            bool failed = false;
            for (;;) {
                const la_ssize_t n = archive_read_data(a, buffer.data(), buffer.size());
                if (n < 0) {
                    failed = true;
                    break;
                }
                if (n == 0) {
                    break;
                }
                const auto count = static_cast<std::size_t>(n);
                hash.update(buffer.data(), count);
                if (metadata) {
                    kept.append(buffer.data(), count);
                }
                std::size_t written = 0;
                while (written < count) {
                    const ssize_t w = ::write(fd, buffer.data() + written, count - written);
                    if (w < 0 && errno == EINTR) {
                        continue;
                    }
                    if (w < 0) {
                        const int err = errno;
                        ::close(fd);
                        return ioError("writing " + temp.string(), err);
                    }
                    written += static_cast<std::size_t>(w);
                }
            }
            ::close(fd);
            if (failed) {
                return invalid("reading " + *name + " from " + tarball.filename().string() + ": " +
                               (archive_error_string(a) ? archive_error_string(a) : "?"));
            }
            const std::string digest = hash.digest();
            if (name->starts_with("blobs/sha256/")) {
                const std::string expected = "sha256:" + name->substr(13);
                if (expected != digest) {
                    return invalid("blob " + expected + " in " + tarball.filename().string() +
                                   " is corrupt: its content has " + digest);
                }
            }
            contents.digests[*name] = digest;
            if (metadata) {
                // index.json and friends stay out of the store; parseDocker stores configs.
                contents.small[*name] = std::move(kept);
                fs::remove(temp, ec);
                continue;
            }
            if (!fs::exists(blobPath(digest), ec)) {
                contents.newBlobs.push_back(digest);
            }
            if (auto committed = commitBlob(temp, digest); !committed) {
                return committed.error();
            }
        }
        return core::success();
    }

    struct PendingImage {
        ImageRecord record;
        std::vector<std::string> tags;     // normalised name:tag
        std::vector<std::string> digests;  // normalised name@digest
    };

    core::Result<std::string> archiveFile(const ArchiveContents& contents,
                                          const std::string& path) const {
        const std::string resolved = contents.resolve(path);
        if (const auto it = contents.small.find(resolved); it != contents.small.end()) {
            return it->second;
        }
        const auto it = contents.digests.find(resolved);
        if (it == contents.digests.end()) {
            return invalid("archive has no file \"" + path + "\"");
        }
        return readBlobLocked(it->second);
    }

    core::Result<PendingImage> imageFromConfig(const std::string& configDigest,
                                               std::uint64_t configSize,
                                               std::vector<LayerRecord> layers) const {
        auto config = readBlobLocked(configDigest);
        if (!config) {
            return config.error();
        }
        json doc = json::parse(*config, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
            return invalid("image config " + configDigest + " is not JSON");
        }
        const auto diffIds =
            stringArray(doc.value("rootfs", json::object()).value("diff_ids", json()));
        if (diffIds.size() != layers.size()) {
            return invalid("image config " + configDigest + " lists " +
                           std::to_string(diffIds.size()) + " diff_ids for " +
                           std::to_string(layers.size()) + " layers");
        }
        PendingImage pending;
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (!isSha256Digest(diffIds[i])) {
                return invalid("image config " + configDigest + " has a bad diff_id");
            }
            layers[i].diffId = diffIds[i];
            std::error_code ec;
            if (!fs::exists(blobPath(layers[i].digest), ec)) {
                return invalid("layer " + layers[i].digest + " is missing from the archive");
            }
        }
        pending.record.image.id = configDigest;
        pending.record.image.config = parseConfig(doc);
        pending.record.configSize = configSize;
        pending.record.layers = std::move(layers);
        return pending;
    }

    core::Result<void> resolveOciDescriptor(const ArchiveContents& contents, const json& desc,
                                            std::vector<std::string> names,
                                            std::vector<PendingImage>& out, int depth) {
        if (depth > 4) {
            return invalid("image index nests too deeply");
        }
        const std::string digest = stringField(desc, "digest");
        if (!isSha256Digest(digest)) {
            return invalid("descriptor with bad digest \"" + digest + "\"");
        }
        auto blob = archiveFile(contents, "blobs/sha256/" + detail::digestHex(digest));
        if (!blob) {
            return blob.error();
        }
        if (detail::sha256Digest(*blob) != digest) {
            return invalid("blob " + digest + " is corrupt");
        }
        json doc = json::parse(*blob, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
            return invalid("manifest " + digest + " is not JSON");
        }
        std::string mediaType = stringField(desc, "mediaType");
        if (mediaType.empty()) {
            mediaType = stringField(doc, "mediaType");
        }
        if (mediaType == kOciIndex || mediaType == kDockerManifestList ||
            (mediaType.empty() && doc.contains("manifests"))) {
            const json manifests = doc.value("manifests", json::array());
            const json* chosen = nullptr;
            for (const auto& m : manifests) {
                const json platform = m.value("platform", json::object());
                if (platform.value("os", "") == "linux" &&
                    platform.value("architecture", "") == "amd64") {
                    chosen = &m;
                    break;
                }
            }
            if (chosen == nullptr && manifests.size() == 1) {
                chosen = &manifests[0];
            }
            if (chosen == nullptr) {
                return invalid("image index " + digest + " has no linux/amd64 manifest");
            }
            return resolveOciDescriptor(contents, *chosen, std::move(names), out, depth + 1);
        }
        const json configDesc = doc.value("config", json::object());
        const std::string configDigest = stringField(configDesc, "digest");
        if (!isSha256Digest(configDigest)) {
            return invalid("manifest " + digest + " has no config");
        }
        std::vector<LayerRecord> layers;
        for (const auto& l : doc.value("layers", json::array())) {
            LayerRecord layer;
            layer.digest = stringField(l, "digest");
            layer.mediaType = stringField(l, "mediaType");
            layer.size = l.value("size", std::uint64_t{0});
            if (!isSha256Digest(layer.digest)) {
                return invalid("manifest " + digest + " has a layer with a bad digest");
            }
            layers.push_back(std::move(layer));
        }
        auto pending = imageFromConfig(configDigest, configDesc.value("size", std::uint64_t{0}),
                                       std::move(layers));
        if (!pending) {
            return pending.error();
        }
        pending->record.image.manifestDigest = digest;
        for (const auto& n : names) {
            auto ref = parseReference(n);
            if (!ref) {
                continue;
            }
            if (!ref->tag.empty()) {
                pending->tags.push_back(ref->tagged());
            }
            pending->digests.push_back(ref->name() + "@" + digest);
        }
        out.push_back(std::move(*pending));
        return core::success();
    }

    core::Result<std::vector<PendingImage>> parseOci(const ArchiveContents& contents) {
        auto index = archiveFile(contents, "index.json");
        if (!index) {
            return index.error();
        }
        json doc = json::parse(*index, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
            return invalid("index.json is not JSON");
        }
        std::vector<PendingImage> out;
        for (const auto& desc : doc.value("manifests", json::array())) {
            const json annotations = desc.value("annotations", json::object());
            std::vector<std::string> names;
            const std::string containerdName =
                stringField(annotations, kContainerdNameAnnotation.data());
            const std::string refName = stringField(annotations, kRefNameAnnotation.data());
            if (!containerdName.empty()) {
                names.push_back(containerdName);
            } else if (!refName.empty() && (refName.find('/') != std::string::npos ||
                                            refName.find(':') != std::string::npos)) {
                // A full reference; a bare tag names no repository and is ignored.
                names.push_back(refName);
            }
            if (auto resolved = resolveOciDescriptor(contents, desc, names, out, 0); !resolved) {
                return resolved.error();
            }
        }
        return out;
    }

    core::Result<std::vector<PendingImage>> parseDocker(ArchiveContents& contents) {
        auto manifest = archiveFile(contents, "manifest.json");
        if (!manifest) {
            return manifest.error();
        }
        json doc = json::parse(*manifest, nullptr, false);
        if (doc.is_discarded() || !doc.is_array()) {
            return invalid("manifest.json is not a JSON array");
        }
        std::vector<PendingImage> out;
        for (const auto& item : doc) {
            const std::string configPath = contents.resolve(stringField(item, "Config"));
            const auto configIt = contents.digests.find(configPath);
            if (configIt == contents.digests.end()) {
                return invalid("manifest.json names config \"" + configPath +
                               "\", which the archive lacks");
            }
            std::error_code ec;
            if (const auto small = contents.small.find(configPath);
                small != contents.small.end() && !fs::exists(blobPath(configIt->second), ec)) {
                if (auto written =
                        core::writeFileAtomically(blobPath(configIt->second), small->second, 0444);
                    !written) {
                    return written.error();
                }
                contents.newBlobs.push_back(configIt->second);
            }
            const auto configSize = fs::file_size(blobPath(configIt->second), ec);
            std::vector<LayerRecord> layers;
            json manifestLayers = json::array();
            for (const auto& path : stringArray(item.value("Layers", json()))) {
                const auto it = contents.digests.find(contents.resolve(path));
                if (it == contents.digests.end()) {
                    return invalid("manifest.json names layer \"" + path +
                                   "\", which the archive lacks");
                }
                LayerRecord layer;
                layer.digest = it->second;
                layer.size = fs::file_size(blobPath(it->second), ec);
                layer.mediaType = std::string(kOciLayer);
                manifestLayers.push_back({{"mediaType", layer.mediaType},
                                          {"digest", layer.digest},
                                          {"size", layer.size}});
                layers.push_back(std::move(layer));
            }
            auto pending =
                imageFromConfig(configIt->second, ec ? 0 : configSize, std::move(layers));
            if (!pending) {
                return pending.error();
            }
            // docker save has no manifest: make the OCI manifest a registry would hold.
            json synthetic = {{"schemaVersion", 2},
                              {"mediaType", kOciManifest},
                              {"config",
                               {{"mediaType", kOciConfig},
                                {"digest", configIt->second},
                                {"size", pending->record.configSize}}},
                              {"layers", manifestLayers}};
            const std::string text = synthetic.dump();
            const std::string digest = detail::sha256Digest(text);
            if (!fs::exists(blobPath(digest), ec)) {
                if (auto written = core::writeFileAtomically(blobPath(digest), text, 0444);
                    !written) {
                    return written.error();
                }
                contents.newBlobs.push_back(digest);
            }
            pending->record.image.manifestDigest = digest;
            for (const auto& tag : stringArray(item.value("RepoTags", json()))) {
                auto ref = parseReference(tag);
                if (!ref) {
                    return ref.error().wrap("RepoTags");
                }
                pending->tags.push_back(ref->tagged().empty() ? ref->str() : ref->tagged());
            }
            out.push_back(std::move(*pending));
        }
        return out;
    }

    core::Result<std::vector<PendingImage>> readAndParse(const fs::path& tarball,
                                                         const fs::path& work,
                                                         ArchiveContents& contents) {
        if (auto read = readArchive(tarball, work, contents); !read) {
            return read.error();
        }
        if (contents.small.contains("index.json") && contents.small.contains("oci-layout")) {
            return parseOci(contents);
        }
        if (contents.small.contains("manifest.json")) {
            return parseDocker(contents);
        }
        return invalid(tarball.filename().string() +
                       " is neither a docker-archive (manifest.json) nor an OCI image layout "
                       "(oci-layout, index.json)");
    }

    void dropUnreferencedBlobsLocked(const std::vector<std::string>& digests) {
        std::set<std::string> live;
        for (const auto& [id, record] : m_images) {
            live.insert(id);
            live.insert(record.image.manifestDigest);
            for (const auto& l : record.layers) {
                live.insert(l.digest);
            }
        }
        std::error_code ec;
        for (const auto& d : digests) {
            if (!live.contains(d)) {
                fs::remove(blobPath(d), ec);
            }
        }
    }

    core::Result<std::vector<Image>> loadArchive(const fs::path& tarball) {
        {
            std::lock_guard lock(m_mutex);
            if (auto opened = ensureOpenLocked(); !opened) {
                return opened.error();
            }
        }
        const fs::path work = tmpDir() / ("load-" + randomSuffix());
        std::error_code ec;
        fs::create_directories(work, ec);
        if (ec) {
            return ioError("creating " + work.string(), ec.value());
        }
        struct Cleanup {
            fs::path dir;
            ~Cleanup() {
                std::error_code ignored;
                fs::remove_all(dir, ignored);
            }
        } cleanup{work};

        ArchiveContents contents;
        auto pending = readAndParse(tarball, work, contents);
        std::lock_guard lock(m_mutex);
        if (!pending) {
            // Blobs this load brought that no image took are dropped again.
            dropUnreferencedBlobsLocked(contents.newBlobs);
            return pending.error();
        }
        const auto now = Clock::now();
        std::vector<std::string> loadedIds;
        for (auto& p : *pending) {
            const std::string id = p.record.image.id;
            // A reference moves to the image that now carries it, as in `docker load`.
            for (auto& [otherId, other] : m_images) {
                if (otherId == id) {
                    continue;
                }
                auto drop = [&](std::vector<std::string>& refs,
                                const std::vector<std::string>& taken) {
                    std::erase_if(refs, [&](const std::string& r) {
                        return std::find(taken.begin(), taken.end(), r) != taken.end();
                    });
                };
                drop(other.image.repoTags, p.tags);
            }
            auto [it, inserted] = m_images.try_emplace(id);
            ImageRecord& record = it->second;
            if (inserted) {
                record = std::move(p.record);
                record.image.created = now;
                record.image.lastUsed = now;
            }
            for (const auto& t : p.tags) {
                if (std::find(record.image.repoTags.begin(), record.image.repoTags.end(), t) ==
                    record.image.repoTags.end()) {
                    record.image.repoTags.push_back(t);
                }
            }
            for (const auto& d : p.digests) {
                if (std::find(record.image.repoDigests.begin(), record.image.repoDigests.end(),
                              d) == record.image.repoDigests.end()) {
                    record.image.repoDigests.push_back(d);
                }
            }
            fillDerived(record);
            loadedIds.push_back(id);
        }
        if (auto saved = saveIndexLocked(); !saved) {
            return saved.error();
        }
        std::vector<Image> out;
        for (const auto& id : loadedIds) {
            out.push_back(m_images.at(id).image);
        }
        return out;
    }

    // ---- lookups --------------------------------------------------------------------------

    const ImageRecord* findLocked(std::string_view reference) const {
        if (isSha256Digest(reference)) {
            const auto it = m_images.find(std::string(reference));
            return it == m_images.end() ? nullptr : &it->second;
        }
        // An id prefix: 12 or more hex digits, with or without "sha256:".
        std::string_view hex = reference;
        if (hex.starts_with("sha256:")) {
            hex.remove_prefix(7);
        }
        const bool allHex =
            hex.size() >= 12 && hex.size() <= 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
                return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            });
        if (allHex) {
            const ImageRecord* match = nullptr;
            int count = 0;
            for (const auto& [id, record] : m_images) {
                if (std::string_view(id).substr(7).starts_with(hex)) {
                    match = &record;
                    ++count;
                }
            }
            if (count == 1) {
                return match;
            }
        }
        auto ref = parseReference(reference);
        if (!ref) {
            return nullptr;
        }
        for (const auto& [id, record] : m_images) {
            const auto& img = record.image;
            if (!ref->digest.empty()) {
                const std::string wanted = ref->digested();
                if (std::find(img.repoDigests.begin(), img.repoDigests.end(), wanted) !=
                        img.repoDigests.end() ||
                    ((img.manifestDigest == ref->digest || img.id == ref->digest) &&
                     std::any_of(
                         img.repoTags.begin(), img.repoTags.end(),
                         [&](const std::string& t) { return t.starts_with(ref->name() + ":"); }))) {
                    return &record;
                }
                continue;
            }
            if (std::find(img.repoTags.begin(), img.repoTags.end(), ref->tagged()) !=
                img.repoTags.end()) {
                return &record;
            }
        }
        return nullptr;
    }

    core::Result<Image> find(std::string_view reference) {
        std::lock_guard lock(m_mutex);
        if (auto opened = ensureOpenLocked(); !opened) {
            return opened.error();
        }
        const ImageRecord* record = findLocked(reference);
        if (record == nullptr) {
            if (auto parsed = parseReference(reference);
                !parsed && !reference.starts_with("sha256:")) {
                return parsed.error();
            }
            return notFound(reference);
        }
        return record->image;
    }

    std::vector<Image> list() {
        std::lock_guard lock(m_mutex);
        std::vector<Image> out;
        if (!ensureOpenLocked()) {
            return out;
        }
        for (const auto& [id, record] : m_images) {
            out.push_back(record.image);
        }
        return out;
    }

    std::set<std::string> imagesWithRootfsLocked() const {
        std::set<std::string> out;
        for (const auto& [id, c] : m_containers) {
            out.insert(c.imageId);
        }
        return out;
    }

    // Removes an image record and whatever of its blobs and layers nothing else uses.
    // Needs both locks (layers, then index).
    core::Result<std::uint64_t> removeLocked(const std::string& id) {
        const auto it = m_images.find(id);
        if (it == m_images.end()) {
            return notFound(id);
        }
        for (const auto& [containerId, c] : m_containers) {
            if (c.imageId == id) {
                return core::Error(core::ErrorCode::Conflict,
                                   "image " + id + " is in use by container " + containerId);
            }
        }
        ImageRecord record = std::move(it->second);
        m_images.erase(it);
        if (auto saved = saveIndexLocked(); !saved) {
            m_images[id] = std::move(record);
            return saved.error();
        }
        std::set<std::string> liveBlobs;
        std::set<std::string> liveDiffIds;
        for (const auto& [otherId, other] : m_images) {
            liveBlobs.insert(otherId);
            liveBlobs.insert(other.image.manifestDigest);
            for (const auto& l : other.layers) {
                liveBlobs.insert(l.digest);
                liveDiffIds.insert(l.diffId);
            }
        }
        std::error_code ec;
        auto dropBlob = [&](const std::string& digest) {
            if (isSha256Digest(digest) && !liveBlobs.contains(digest)) {
                fs::remove(blobPath(digest), ec);
            }
        };
        dropBlob(record.image.id);
        dropBlob(record.image.manifestDigest);
        for (const auto& l : record.layers) {
            dropBlob(l.digest);
            if (isSha256Digest(l.diffId) && !liveDiffIds.contains(l.diffId)) {
                // Rename first so that a crash never leaves a half-deleted layer in place.
                const fs::path dir = layerDir(l.diffId);
                const fs::path doomed = m_dir / "layers" / ("tmp-rm-" + randomSuffix());
                fs::rename(dir, doomed, ec);
                fs::remove_all(ec ? dir : doomed, ec);
            }
        }
        return record.image.sizeBytes;
    }

    core::Result<void> remove(std::string_view reference) {
        std::lock_guard layers(m_layerMutex);
        std::lock_guard lock(m_mutex);
        if (auto opened = ensureOpenLocked(); !opened) {
            return opened.error();
        }
        const ImageRecord* record = findLocked(reference);
        if (record == nullptr) {
            return notFound(reference);
        }
        auto removed = removeLocked(record->image.id);
        if (!removed) {
            return removed.error();
        }
        return core::success();
    }

    core::Result<void> tag(std::string_view source, std::string_view target) {
        auto ref = parseReference(target);
        if (!ref) {
            return ref.error();
        }
        if (ref->tag.empty()) {
            return invalid("tag target \"" + std::string(target) + "\" needs a tag");
        }
        std::lock_guard lock(m_mutex);
        if (auto opened = ensureOpenLocked(); !opened) {
            return opened.error();
        }
        const ImageRecord* found = findLocked(source);
        if (found == nullptr) {
            return notFound(source);
        }
        const std::string id = found->image.id;
        const std::string name = ref->tagged();
        for (auto& [otherId, other] : m_images) {
            std::erase(other.image.repoTags, name);
        }
        m_images[id].image.repoTags.push_back(name);
        return saveIndexLocked();
    }

    // ---- root filesystems -----------------------------------------------------------------

    core::Result<WhiteoutFormat> ensureLayer(const LayerRecord& layer) {
        const fs::path dir = layerDir(layer.diffId);
        if (auto meta = core::readFile(dir / "layer.json")) {
            json doc = json::parse(*meta, nullptr, false);
            if (!doc.is_discarded()) {
                return doc.value("format", "oci") == "overlay" ? WhiteoutFormat::Overlay
                                                               : WhiteoutFormat::Oci;
            }
        }
        std::error_code ec;
        fs::remove_all(dir, ec);
        const WhiteoutFormat format =
            ::geteuid() == 0 ? WhiteoutFormat::Overlay : WhiteoutFormat::Oci;
        const fs::path temp = m_dir / "layers" / ("tmp-" + randomSuffix());
        fs::create_directories(temp / "fs", ec);
        if (ec) {
            return ioError("creating " + temp.string(), ec.value());
        }
        auto unpacked = detail::unpackLayer(blobPath(layer.digest), temp / "fs", format);
        auto fail = [&](core::Error error) {
            std::error_code ignored;
            fs::remove_all(temp, ignored);
            return error;
        };
        if (!unpacked) {
            // A damaged blob usually shows as a damaged tar first: say what it really is.
            if (auto actual = detail::sha256File(blobPath(layer.digest));
                actual && *actual != layer.digest) {
                return fail(invalid("layer blob " + layer.digest + " is corrupt: its content has " +
                                    *actual));
            }
            return fail(unpacked.error().wrap("unpacking layer " + layer.digest));
        }
        if (unpacked->blobDigest != layer.digest) {
            return fail(invalid("layer blob " + layer.digest + " is corrupt: its content has " +
                                unpacked->blobDigest));
        }
        if (unpacked->diffId != layer.diffId) {
            return fail(invalid("layer " + layer.digest + " unpacks to " + unpacked->diffId +
                                ", not the diff_id " + layer.diffId + " the config names"));
        }
        // The files reach the disk before layer.json vouches for them: after a power-off a
        // recorded layer must not lack the files the kernel had not written back yet (its
        // containers would fail with "no such file"). Once per layer, so one syncfs is cheap.
        if (const int fd = ::open(temp.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); fd >= 0) {
            const int synced = ::syncfs(fd);
            const int error = errno;
            ::close(fd);
            if (synced != 0) {
                return fail(ioError("writing layer " + layer.diffId + " to disk", error));
            }
        }
        json meta = {{"format", format == WhiteoutFormat::Overlay ? "overlay" : "oci"},
                     {"diffID", layer.diffId},
                     {"size", unpacked->sizeBytes}};
        if (auto written = core::writeFileAtomically(temp / "layer.json", meta.dump()); !written) {
            return fail(written.error());
        }
        fs::rename(temp, dir, ec);
        if (ec) {
            return fail(ioError("storing layer " + layer.diffId, ec.value()));
        }
        return format;
    }

    core::Result<void> writeContainerState(std::string_view containerId, const ContainerRecord& c) {
        const fs::path dir = containerDir(containerId);
        std::error_code ec;
        fs::create_directories(dir, ec);
        json doc = {{"imageId", c.imageId},
                    {"target", c.target.string()},
                    {"overlay", c.overlay},
                    {"ready", c.ready}};
        // Durable: after an unclean power-off the store reads these records to find (and undo)
        // what was prepared before it.
        return core::writeFileAtomically(dir / "rootfs.json", doc.dump());
    }

    core::Result<Rootfs> prepareRootfs(std::string_view imageRef, std::string_view containerId,
                                       const fs::path& targetDir) {
        if (!validContainerId(containerId)) {
            return invalid("bad container id \"" + std::string(containerId) + "\"");
        }
        const fs::path target = targetDir.lexically_normal();
        ImageRecord image;
        {
            std::lock_guard lock(m_mutex);
            if (auto opened = ensureOpenLocked(); !opened) {
                return opened.error();
            }
            const ImageRecord* found = findLocked(imageRef);
            if (found == nullptr) {
                return notFound(imageRef);
            }
            image = *found;
            const auto existing = m_containers.find(std::string(containerId));
            if (existing != m_containers.end()) {
                if (existing->second.ready && existing->second.imageId == image.image.id &&
                    existing->second.target == target) {
                    return Rootfs{target, existing->second.overlay};
                }
                return core::Error(
                    core::ErrorCode::Conflict,
                    "container " + std::string(containerId) + " already has a root filesystem");
            }
            ContainerRecord record{image.image.id, target, false, false};
            if (auto written = writeContainerState(containerId, record); !written) {
                return written.error();
            }
            m_containers[std::string(containerId)] = record;
            auto& stored = m_images[image.image.id];
            stored.image.lastUsed = Clock::now();
            if (auto saved = saveIndexLocked(); !saved) {
                spdlog::warn("image store: {}", saved.error().message());
            }
        }

        auto result = buildRootfs(image, containerId, target);
        std::lock_guard lock(m_mutex);
        auto& record = m_containers[std::string(containerId)];
        if (!result) {
            m_containers.erase(std::string(containerId));
            std::error_code ec;
            fs::remove_all(containerDir(containerId), ec);
            return result.error();
        }
        record.overlay = result->overlay;
        record.ready = true;
        if (auto written = writeContainerState(containerId, record); !written) {
            return written.error();
        }
        return *result;
    }

    core::Result<Rootfs> buildRootfs(const ImageRecord& image, std::string_view containerId,
                                     const fs::path& target) {
        std::lock_guard layers(m_layerMutex);
        std::vector<std::pair<fs::path, WhiteoutFormat>> dirs;
        bool allOverlay = true;
        for (const auto& layer : image.layers) {
            auto format = ensureLayer(layer);
            if (!format) {
                return format.error();
            }
            allOverlay = allOverlay && *format == WhiteoutFormat::Overlay;
            dirs.emplace_back(layerDir(layer.diffId) / "fs", *format);
        }
        std::error_code ec;
        fs::create_directories(target, ec);
        if (ec) {
            return ioError("creating " + target.string(), ec.value());
        }
        const bool wantOverlay =
            m_options.snapshotter == Snapshotter::Overlay ||
            (m_options.snapshotter == Snapshotter::Auto && ::geteuid() == 0 && overlayAvailable());
        if (wantOverlay && allOverlay && !dirs.empty()) {
            const fs::path dir = containerDir(containerId);
            fs::create_directories(dir / "upper", ec);
            fs::create_directories(dir / "work", ec);
            std::string lower;
            for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
                if (!lower.empty()) {
                    lower += ':';
                }
                lower += it->first.string();
            }
            // overlayfs needs at least two layers unless there is an upper dir; there is.
            const std::string options = "lowerdir=" + lower +
                                        ",upperdir=" + (dir / "upper").string() +
                                        ",workdir=" + (dir / "work").string();
            if (options.size() < 4000 &&
                ::mount("overlay", target.c_str(), "overlay", 0, options.c_str()) == 0) {
                return Rootfs{target, true};
            }
            spdlog::warn("image store: overlay mount for container {} failed ({}); copying layers",
                         containerId,
                         options.size() >= 4000 ? "too many layers" : std::strerror(errno));
            fs::remove_all(dir / "upper", ec);
            fs::remove_all(dir / "work", ec);
        }
        for (const auto& [dir, format] : dirs) {
            if (auto applied = detail::applyLayerByCopy(dir, target, format); !applied) {
                return applied.error();
            }
        }
        return Rootfs{target, false};
    }

    core::Result<void> releaseRootfs(std::string_view containerId) {
        if (!validContainerId(containerId)) {
            return invalid("bad container id \"" + std::string(containerId) + "\"");
        }
        std::lock_guard lock(m_mutex);
        if (auto opened = ensureOpenLocked(); !opened) {
            return opened.error();
        }
        const auto it = m_containers.find(std::string(containerId));
        if (it == m_containers.end()) {
            return core::success();
        }
        const ContainerRecord& record = it->second;
        std::error_code ec;
        if (record.overlay || !record.ready) {
            if (::umount2(record.target.c_str(), 0) != 0 && errno != EINVAL && errno != ENOENT) {
                if (errno == EBUSY) {
                    ::umount2(record.target.c_str(), MNT_DETACH);
                } else {
                    return ioError("unmounting " + record.target.string());
                }
            }
        }
        if (!record.overlay) {
            // The copy is the container's writable layer: empty the target.
            for (fs::directory_iterator d(record.target, ec), end; !ec && d != end;
                 d.increment(ec)) {
                std::error_code ignored;
                fs::remove_all(d->path(), ignored);
            }
        }
        fs::remove_all(containerDir(containerId), ec);
        if (ec) {
            return ioError("removing " + containerDir(containerId).string(), ec.value());
        }
        m_containers.erase(it);
        return core::success();
    }

    std::set<std::string> imagesWithRootfs() {
        std::lock_guard lock(m_mutex);
        if (!ensureOpenLocked()) {
            return {};
        }
        return imagesWithRootfsLocked();
    }

    // ---- garbage collection ---------------------------------------------------------------

    core::Result<GcResult> freeSpace(std::uint64_t bytesToFree, const std::set<std::string>& inUse,
                                     std::chrono::seconds minimumAge) {
        std::lock_guard layers(m_layerMutex);
        std::lock_guard lock(m_mutex);
        if (auto opened = ensureOpenLocked(); !opened) {
            return opened.error();
        }
        const auto busy = imagesWithRootfsLocked();
        std::vector<const ImageRecord*> candidates;
        const auto now = Clock::now();
        for (const auto& [id, record] : m_images) {
            if (inUse.contains(id) || busy.contains(id)) {
                continue;
            }
            // Also by reference: the caller may name images the way pods do.
            const bool named =
                std::any_of(record.image.repoTags.begin(), record.image.repoTags.end(),
                            [&](const std::string& t) { return inUse.contains(t); });
            if (named) {
                continue;
            }
            if (now - record.image.created < minimumAge) {
                continue;
            }
            candidates.push_back(&record);
        }
        // Least recently used first; ties broken by age, then id, so the order is stable.
        std::sort(candidates.begin(), candidates.end(), [](const auto* a, const auto* b) {
            return std::tie(a->image.lastUsed, a->image.created, a->image.id) <
                   std::tie(b->image.lastUsed, b->image.created, b->image.id);
        });
        std::vector<std::string> ids;
        for (const auto* c : candidates) {
            ids.push_back(c->image.id);
        }
        GcResult result;
        for (const auto& id : ids) {
            if (result.freedBytes >= bytesToFree) {
                break;
            }
            auto freed = removeLocked(id);
            if (!freed) {
                spdlog::warn("image store: garbage collecting {}: {}", id, freed.error().message());
                continue;
            }
            result.removedImageIds.push_back(id);
            result.freedBytes += *freed;
        }
        if (result.freedBytes < bytesToFree) {
            return core::Error(core::ErrorCode::Unavailable,
                               "Failed to garbage collect required amount of images. Attempted "
                               "to free " +
                                   std::to_string(bytesToFree) + " bytes, but only found " +
                                   std::to_string(result.freedBytes) + " bytes eligible to free.");
        }
        return result;
    }

    core::Result<DiskUsage> diskUsage() {
        {
            std::lock_guard lock(m_mutex);
            if (auto opened = ensureOpenLocked(); !opened) {
                return opened.error();
            }
        }
        struct statvfs st {};
        if (::statvfs(m_dir.c_str(), &st) != 0) {
            return ioError("statvfs " + m_dir.string());
        }
        return DiskUsage{static_cast<std::uint64_t>(st.f_blocks) * st.f_frsize,
                         static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize};
    }

    std::uint64_t usedBytes() {
        std::lock_guard lock(m_mutex);
        if (!ensureOpenLocked()) {
            return 0;
        }
        std::set<std::string> seen;
        std::uint64_t total = 0;
        for (const auto& [id, record] : m_images) {
            if (seen.insert(id).second) {
                total += record.configSize;
            }
            for (const auto& l : record.layers) {
                if (seen.insert(l.digest).second) {
                    total += l.size;
                }
            }
        }
        return total;
    }

    const fs::path& directory() const { return m_dir; }

    fs::path stagingDirectory() {
        std::lock_guard lock(m_mutex);
        (void)ensureOpenLocked();
        std::error_code ec;
        fs::create_directories(m_dir / "staging", ec);
        return m_dir / "staging";
    }

    bool hasBlob(std::string_view digest) {
        std::error_code ec;
        return isSha256Digest(digest) && fs::exists(blobPath(digest), ec);
    }

    core::Result<void> addBlob(std::string_view digest, const fs::path& file) {
        if (!isSha256Digest(digest)) {
            return invalid("bad digest \"" + std::string(digest) + "\"");
        }
        {
            std::lock_guard lock(m_mutex);
            if (auto opened = ensureOpenLocked(); !opened) {
                return opened.error();
            }
        }
        auto actual = detail::sha256File(file);
        if (!actual) {
            return actual.error();
        }
        std::error_code ec;
        if (*actual != digest) {
            fs::remove(file, ec);
            return invalid("blob " + std::string(digest) + " is corrupt: its content has " +
                           *actual);
        }
        return commitBlob(file, digest);
    }

    core::Result<Image> addImage(std::string_view reference, std::string_view manifestDigest) {
        auto ref = parseReference(reference);
        if (!ref) {
            return ref.error();
        }
        std::lock_guard lock(m_mutex);
        if (auto opened = ensureOpenLocked(); !opened) {
            return opened.error();
        }
        auto manifest = readBlobLocked(manifestDigest);
        if (!manifest) {
            return manifest.error();
        }
        json doc = json::parse(*manifest, nullptr, false);
        if (doc.is_discarded() || !doc.is_object() || !doc.contains("config")) {
            return invalid("manifest " + std::string(manifestDigest) + " is not an image manifest");
        }
        const json configDesc = doc.value("config", json::object());
        std::vector<LayerRecord> layers;
        for (const auto& l : doc.value("layers", json::array())) {
            layers.push_back({stringField(l, "digest"),
                              stringField(l, "mediaType"),
                              l.value("size", std::uint64_t{0}),
                              {}});
            if (!isSha256Digest(layers.back().digest)) {
                return invalid("manifest has a layer with a bad digest");
            }
        }
        auto pending =
            imageFromConfig(stringField(configDesc, "digest"),
                            configDesc.value("size", std::uint64_t{0}), std::move(layers));
        if (!pending) {
            return pending.error();
        }
        const std::string id = pending->record.image.id;
        const std::string tag = ref->tagged();
        const std::string digested = ref->name() + "@" + std::string(manifestDigest);
        if (!tag.empty()) {
            for (auto& [otherId, other] : m_images) {
                std::erase(other.image.repoTags, tag);
            }
        }
        auto [it, inserted] = m_images.try_emplace(id);
        ImageRecord& record = it->second;
        if (inserted) {
            record = std::move(pending->record);
            record.image.manifestDigest = std::string(manifestDigest);
            record.image.created = Clock::now();
            record.image.lastUsed = record.image.created;
        }
        if (!tag.empty() && std::find(record.image.repoTags.begin(), record.image.repoTags.end(),
                                      tag) == record.image.repoTags.end()) {
            record.image.repoTags.push_back(tag);
        }
        // name@<manifest digest>, and name@<index digest> when the pull went through one.
        for (const std::string& d : {digested, ref->digested()}) {
            if (!d.empty() &&
                std::find(record.image.repoDigests.begin(), record.image.repoDigests.end(), d) ==
                    record.image.repoDigests.end()) {
                record.image.repoDigests.push_back(d);
            }
        }
        fillDerived(record);
        if (auto saved = saveIndexLocked(); !saved) {
            return saved.error();
        }
        return record.image;
    }

private:
    fs::path m_root;
    fs::path m_dir;
    Options m_options;
    // Lock order: m_layerMutex before m_mutex.
    std::mutex m_layerMutex;  // the layers/ directory
    std::mutex m_mutex;       // everything else
    bool m_opened = false;
    std::map<std::string, ImageRecord> m_images;
    std::map<std::string, ContainerRecord> m_containers;
};

ImageStore::ImageStore(fs::path root) : ImageStore(std::move(root), Options{}) {}

ImageStore::ImageStore(fs::path root, Options options)
    : m_impl(std::make_unique<Impl>(std::move(root), options)) {}

ImageStore::~ImageStore() = default;

core::Result<std::vector<Image>> ImageStore::loadArchive(const fs::path& tarball) {
    return m_impl->loadArchive(tarball);
}

core::Result<Image> ImageStore::find(std::string_view reference) const {
    return m_impl->find(reference);
}

std::vector<Image> ImageStore::list() const {
    return m_impl->list();
}

core::Result<void> ImageStore::remove(std::string_view reference) {
    return m_impl->remove(reference);
}

core::Result<void> ImageStore::tag(std::string_view source, std::string_view target) {
    return m_impl->tag(source, target);
}

core::Result<Rootfs> ImageStore::prepareRootfs(std::string_view imageId,
                                               std::string_view containerId,
                                               const fs::path& targetDir) {
    return m_impl->prepareRootfs(imageId, containerId, targetDir);
}

core::Result<void> ImageStore::releaseRootfs(std::string_view containerId) {
    return m_impl->releaseRootfs(containerId);
}

std::set<std::string> ImageStore::imagesWithRootfs() const {
    return m_impl->imagesWithRootfs();
}

core::Result<GcResult> ImageStore::garbageCollect(const GcPolicy& policy,
                                                  const std::set<std::string>& inUseImageIds,
                                                  const DiskUsage& usage) {
    if (usage.capacityBytes == 0) {
        return GcResult{};
    }
    // As the kubelet: usage percent rounds the free share down, so 85.4% used counts as 86.
    const auto usagePercent = static_cast<int>(
        100 - static_cast<std::int64_t>(usage.availableBytes * 100 / usage.capacityBytes));
    if (usagePercent < policy.highThresholdPercent) {
        return GcResult{};
    }
    // E.g. 100 GiB disk, 10 GiB free (90% used), low 80: free 100*20% - 10 = 10 GiB.
    const auto target = static_cast<std::int64_t>(
        usage.capacityBytes * static_cast<std::uint64_t>(100 - policy.lowThresholdPercent) / 100);
    const std::int64_t amount = target - static_cast<std::int64_t>(usage.availableBytes);
    if (amount <= 0) {
        return GcResult{};
    }
    return m_impl->freeSpace(static_cast<std::uint64_t>(amount), inUseImageIds, policy.minimumAge);
}

core::Result<GcResult> ImageStore::garbageCollect(const GcPolicy& policy,
                                                  const std::set<std::string>& inUseImageIds) {
    auto usage = diskUsage();
    if (!usage) {
        return usage.error();
    }
    return garbageCollect(policy, inUseImageIds, *usage);
}

core::Result<GcResult> ImageStore::freeSpace(std::uint64_t bytesToFree,
                                             const std::set<std::string>& inUseImageIds,
                                             std::chrono::seconds minimumAge) {
    return m_impl->freeSpace(bytesToFree, inUseImageIds, minimumAge);
}

core::Result<DiskUsage> ImageStore::diskUsage() const {
    return m_impl->diskUsage();
}

std::uint64_t ImageStore::usedBytes() const {
    return m_impl->usedBytes();
}

fs::path ImageStore::directory() const {
    return m_impl->directory();
}

fs::path ImageStore::stagingDirectory() const {
    return m_impl->stagingDirectory();
}

bool ImageStore::hasBlob(std::string_view digest) const {
    return m_impl->hasBlob(digest);
}

core::Result<void> ImageStore::addBlob(std::string_view digest, const fs::path& file) {
    return m_impl->addBlob(digest, file);
}

core::Result<Image> ImageStore::addImage(std::string_view reference,
                                         std::string_view manifestDigest) {
    return m_impl->addImage(reference, manifestDigest);
}

}  // namespace slipway::agent::images
