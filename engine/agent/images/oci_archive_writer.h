// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/agent/images/image_store.h"
#include "engine/core/result.h"

namespace slipway::agent::images {

/// Builds one image layer as a tar, byte for byte the same every time: entries sorted by path,
/// one fixed mtime, owner 0:0. Used by slipway-mkimage for the demo images and by tests.
class LayerBuilder {
public:
    void addDirectory(const std::string& path, std::uint32_t mode = 0755);
    void addFile(const std::string& path, std::string content, std::uint32_t mode = 0644);
    void addSymlink(const std::string& path, const std::string& target);
    void addHardlink(const std::string& path, const std::string& target);
    /// An OCI whiteout: deletes `path` of lower layers (".wh.<name>").
    void addWhiteout(const std::string& path);
    /// Marks `dir` opaque: lower layers' contents of it are hidden (".wh..wh..opq").
    void addOpaqueMarker(const std::string& dir);

    /// The tar (optionally gzip-compressed, without a timestamp in the gzip header).
    core::Result<std::string> build(bool gzip = false) const;

private:
    struct Entry {
        enum class Type { Directory, File, Symlink, Hardlink } type;
        std::string content;  // file data, or link target
        std::uint32_t mode;
    };
    std::map<std::string, Entry> m_entries;  // sorted by path
};

/// One image for writeOciArchive.
struct ImageSpec {
    std::vector<std::string> references;  ///< e.g. "slipway.local/hello:1"
    ImageConfig config;                   ///< architecture/os default to amd64/linux
    std::vector<std::string> layers;      ///< layer blobs (tar or tar.gz), bottom first
    std::string created = "2024-01-01T00:00:00Z";
};

/// An OCI image layout tarball (oci-layout, index.json, blobs/sha256/…) that also carries a
/// docker-archive manifest.json, so both `docker load` and ImageStore::loadArchive read it.
/// Deterministic: the same specs give the same bytes.
core::Result<std::string> writeOciArchive(const std::vector<ImageSpec>& images);

/// The fixed mtime of every entry the writers produce (2024-01-01T00:00:00Z).
inline constexpr std::int64_t kReproducibleMtime = 1704067200;

}  // namespace slipway::agent::images
