// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/oci_archive_writer.h"

#include <memory>
#include <set>

#include <archive.h>
#include <archive_entry.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "engine/agent/images/sha256.h"

namespace slipway::agent::images {
namespace {

using json = nlohmann::json;

struct WriteDeleter {
    void operator()(struct archive* a) const { archive_write_free(a); }
};
struct EntryDeleter {
    void operator()(struct archive_entry* e) const { archive_entry_free(e); }
};

la_ssize_t appendToString(struct archive*, void* data, const void* buffer, size_t length) {
    static_cast<std::string*>(data)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
}

core::Error archiveError(struct archive* a) {
    return core::Error(core::ErrorCode::Internal,
                       std::string("writing tar: ") +
                           (archive_error_string(a) ? archive_error_string(a) : "unknown error"));
}

// A tar writer into memory with reproducible headers.
class TarWriter {
public:
    explicit TarWriter(bool gzip) : m_archive(archive_write_new()) {
        archive_write_set_format_pax_restricted(m_archive.get());
        if (gzip) {
            archive_write_add_filter_gzip(m_archive.get());
            archive_write_set_filter_option(m_archive.get(), "gzip", "timestamp", nullptr);
        }
        archive_write_set_bytes_in_last_block(m_archive.get(), 1);
        m_ok = archive_write_open(m_archive.get(), &m_out, nullptr, appendToString, nullptr) ==
               ARCHIVE_OK;
    }

    core::Result<void> add(const std::string& path, mode_t type, std::uint32_t mode,
                           const std::string& content, const std::string& link = {}) {
        if (!m_ok) {
            return archiveError(m_archive.get());
        }
        std::unique_ptr<struct archive_entry, EntryDeleter> e(archive_entry_new());
        archive_entry_set_pathname(e.get(), path.c_str());
        archive_entry_set_filetype(e.get(), static_cast<unsigned>(type));
        archive_entry_set_perm(e.get(), static_cast<mode_t>(mode));
        archive_entry_set_uid(e.get(), 0);
        archive_entry_set_gid(e.get(), 0);
        archive_entry_set_mtime(e.get(), kReproducibleMtime, 0);
        if (type == AE_IFLNK) {
            archive_entry_set_symlink(e.get(), link.c_str());
        }
        if (!link.empty() && type == AE_IFREG) {
            archive_entry_set_hardlink(e.get(), link.c_str());
            archive_entry_set_size(e.get(), 0);
        } else {
            archive_entry_set_size(e.get(),
                                   type == AE_IFREG ? static_cast<la_int64_t>(content.size()) : 0);
        }
        if (archive_write_header(m_archive.get(), e.get()) != ARCHIVE_OK) {
            return archiveError(m_archive.get());
        }
        if (type == AE_IFREG && link.empty() && !content.empty() &&
            archive_write_data(m_archive.get(), content.data(), content.size()) < 0) {
            return archiveError(m_archive.get());
        }
        return core::success();
    }

    core::Result<std::string> finish() {
        if (archive_write_close(m_archive.get()) != ARCHIVE_OK) {
            return archiveError(m_archive.get());
        }
        return std::move(m_out);
    }

private:
    std::unique_ptr<struct archive, WriteDeleter> m_archive;
    std::string m_out;
    bool m_ok = false;
};

std::string parentOf(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string baseOf(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string joinPath(const std::string& dir, const std::string& name) {
    return dir.empty() ? name : dir + "/" + name;
}

json configJson(const ImageSpec& spec, const std::vector<std::string>& diffIds) {
    const ImageConfig& c = spec.config;
    json config = json::object();
    if (!c.entrypoint.empty()) {
        config["Entrypoint"] = c.entrypoint;
    }
    if (!c.cmd.empty()) {
        config["Cmd"] = c.cmd;
    }
    if (!c.env.empty()) {
        config["Env"] = c.env;
    }
    if (!c.workingDir.empty()) {
        config["WorkingDir"] = c.workingDir;
    }
    if (!c.user.empty()) {
        config["User"] = c.user;
    }
    if (!c.stopSignal.empty()) {
        config["StopSignal"] = c.stopSignal;
    }
    if (!c.exposedPorts.empty()) {
        json ports = json::object();
        for (const auto& p : c.exposedPorts) {
            ports[p] = json::object();
        }
        config["ExposedPorts"] = ports;
    }
    if (!c.labels.empty()) {
        config["Labels"] = c.labels;
    }
    json history = json::array();
    for (std::size_t i = 0; i < diffIds.size(); ++i) {
        history.push_back({{"created", spec.created}, {"created_by", "slipway-mkimage"}});
    }
    return {{"architecture", c.architecture.empty() ? "amd64" : c.architecture},
            {"os", c.os.empty() ? "linux" : c.os},
            {"created", spec.created},
            {"config", config},
            {"rootfs", {{"type", "layers"}, {"diff_ids", diffIds}}},
            {"history", history}};
}

// The uncompressed tar of a layer blob, for its diff_id.
core::Result<std::string> uncompressed(const std::string& blob) {
    if (blob.size() < 2 || static_cast<unsigned char>(blob[0]) != 0x1f ||
        static_cast<unsigned char>(blob[1]) != 0x8b) {
        return blob;
    }
    struct archive* a = archive_read_new();
    std::unique_ptr<struct archive, int (*)(struct archive*)> guard(a, archive_read_free);
    archive_read_support_filter_gzip(a);
    archive_read_support_format_raw(a);
    if (archive_read_open_memory(a, blob.data(), blob.size()) != ARCHIVE_OK) {
        return core::Error(core::ErrorCode::Invalid, "layer is not gzip");
    }
    struct archive_entry* entry = nullptr;
    if (archive_read_next_header(a, &entry) != ARCHIVE_OK) {
        return core::Error(core::ErrorCode::Invalid, "layer is not gzip");
    }
    std::string out;
    char buffer[65536];
    la_ssize_t n;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) {
        out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
}

}  // namespace

void LayerBuilder::addDirectory(const std::string& path, std::uint32_t mode) {
    m_entries[path] = {Entry::Type::Directory, {}, mode};
}

void LayerBuilder::addFile(const std::string& path, std::string content, std::uint32_t mode) {
    m_entries[path] = {Entry::Type::File, std::move(content), mode};
}

void LayerBuilder::addSymlink(const std::string& path, const std::string& target) {
    m_entries[path] = {Entry::Type::Symlink, target, 0777};
}

void LayerBuilder::addHardlink(const std::string& path, const std::string& target) {
    m_entries[path] = {Entry::Type::Hardlink, target, 0644};
}

void LayerBuilder::addWhiteout(const std::string& path) {
    addFile(joinPath(parentOf(path), ".wh." + baseOf(path)), {}, 0644);
}

void LayerBuilder::addOpaqueMarker(const std::string& dir) {
    addFile(joinPath(dir, ".wh..wh..opq"), {}, 0644);
}

core::Result<std::string> LayerBuilder::build(bool gzip) const {
    // Parents the caller did not add are written as 0755 directories before their children.
    std::map<std::string, Entry> all = m_entries;
    for (const auto& [path, entry] : m_entries) {
        for (std::string p = parentOf(path); !p.empty(); p = parentOf(p)) {
            all.try_emplace(p, Entry{Entry::Type::Directory, {}, 0755});
        }
    }
    TarWriter tar(gzip);
    for (const auto& [path, entry] : all) {
        core::Result<void> added = core::success();
        switch (entry.type) {
            case Entry::Type::Directory:
                added = tar.add(path + "/", AE_IFDIR, entry.mode, {});
                break;
            case Entry::Type::File:
                added = tar.add(path, AE_IFREG, entry.mode, entry.content);
                break;
            case Entry::Type::Symlink:
                added = tar.add(path, AE_IFLNK, entry.mode, {}, entry.content);
                break;
            case Entry::Type::Hardlink:
                added = tar.add(path, AE_IFREG, entry.mode, {}, entry.content);
                break;
        }
        if (!added) {
            return added.error();
        }
    }
    return tar.finish();
}

core::Result<std::string> writeOciArchive(const std::vector<ImageSpec>& images) {
    std::map<std::string, std::string> blobs;  // hex → content
    json index = {{"schemaVersion", 2},
                  {"mediaType", "application/vnd.oci.image.index.v1+json"},
                  {"manifests", json::array()}};
    json dockerManifest = json::array();
    auto addBlob = [&](const std::string& content) {
        const std::string digest = detail::sha256Digest(content);
        blobs[detail::digestHex(digest)] = content;
        return digest;
    };
    for (const auto& spec : images) {
        std::vector<std::string> diffIds;
        json layers = json::array();
        json dockerLayers = json::array();
        for (const auto& layer : spec.layers) {
            auto tar = uncompressed(layer);
            if (!tar) {
                return tar.error();
            }
            diffIds.push_back(detail::sha256Digest(*tar));
            const bool gz = tar->size() != layer.size() || *tar != layer;
            const std::string digest = addBlob(layer);
            layers.push_back({{"mediaType", gz ? "application/vnd.oci.image.layer.v1.tar+gzip"
                                               : "application/vnd.oci.image.layer.v1.tar"},
                              {"digest", digest},
                              {"size", layer.size()}});
            dockerLayers.push_back("blobs/sha256/" + detail::digestHex(digest));
        }
        const std::string config = configJson(spec, diffIds).dump();
        const std::string configDigest = addBlob(config);
        json manifest = {{"schemaVersion", 2},
                         {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                         {"config",
                          {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                           {"digest", configDigest},
                           {"size", config.size()}}},
                         {"layers", layers}};
        const std::string manifestText = manifest.dump();
        const std::string manifestDigest = addBlob(manifestText);
        std::vector<std::string> tags;
        for (const auto& reference : spec.references) {
            auto ref = parseReference(reference);
            if (!ref) {
                return ref.error();
            }
            tags.push_back(ref->familiar());
            index["manifests"].push_back(
                {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                 {"digest", manifestDigest},
                 {"size", manifestText.size()},
                 {"annotations",
                  {{"io.containerd.image.name", ref->str()},
                   {"org.opencontainers.image.ref.name", ref->tag}}}});
        }
        if (spec.references.empty()) {
            index["manifests"].push_back(
                {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                 {"digest", manifestDigest},
                 {"size", manifestText.size()}});
        }
        dockerManifest.push_back({{"Config", "blobs/sha256/" + detail::digestHex(configDigest)},
                                  {"RepoTags", tags},
                                  {"Layers", dockerLayers}});
    }
    TarWriter tar(false);
    for (const auto& dir : {"blobs/", "blobs/sha256/"}) {
        if (auto added = tar.add(dir, AE_IFDIR, 0755, {}); !added) {
            return added.error();
        }
    }
    for (const auto& [hex, content] : blobs) {
        if (auto added = tar.add("blobs/sha256/" + hex, AE_IFREG, 0644, content); !added) {
            return added.error();
        }
    }
    const std::string layout = json{{"imageLayoutVersion", "1.0.0"}}.dump();
    for (const auto& [name, content] :
         {std::pair<std::string, std::string>{"index.json", index.dump()},
          {"manifest.json", dockerManifest.dump()},
          {"oci-layout", layout}}) {
        if (auto added = tar.add(name, AE_IFREG, 0644, content); !added) {
            return added.error();
        }
    }
    return tar.finish();
}

}  // namespace slipway::agent::images
