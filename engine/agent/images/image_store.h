// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/agent/images/image_reference.h"
#include "engine/core/result.h"

namespace slipway::agent::images {

/// The parts of an OCI image config (`config` object) that a container is started from.
struct ImageConfig {
    std::vector<std::string> entrypoint;
    std::vector<std::string> cmd;
    std::vector<std::string> env;           ///< "PATH=/usr/bin:/bin"
    std::string workingDir;                 ///< "" means "/"
    std::string user;                       ///< "", "1000", "1000:1000", "nobody"
    std::vector<std::string> exposedPorts;  ///< "8080/tcp", sorted
    std::map<std::string, std::string> labels;
    std::string stopSignal;    ///< "" or "SIGTERM", "SIGQUIT", …
    std::string architecture;  ///< "amd64"
    std::string os;            ///< "linux"
};

/// One image in the store. Its id is the digest of its config blob, as in Docker and CRI.
struct Image {
    std::string id;                         ///< "sha256:<64 hex>" (config digest)
    std::vector<std::string> repoTags;      ///< normalised: "docker.io/library/nginx:latest"
    std::vector<std::string> repoDigests;   ///< "docker.io/library/nginx@sha256:…" (manifest)
    std::string manifestDigest;             ///< "sha256:…" of the manifest the image came from
    std::vector<std::string> layerDigests;  ///< blob digests, bottom layer first
    std::vector<std::string> diffIds;       ///< uncompressed layer digests, bottom layer first
    ImageConfig config;
    std::uint64_t sizeBytes = 0;  ///< config plus layer blobs, as node status reports it
    std::chrono::system_clock::time_point created;   ///< when it entered this store
    std::chrono::system_clock::time_point lastUsed;  ///< last prepareRootfs (or load)
};

/// How prepareRootfs builds a container's root filesystem.
enum class Snapshotter {
    Auto,     ///< overlayfs when running as root and the kernel has it, else Copy
    Overlay,  ///< overlayfs over the cached layers; falls back to Copy if the mount fails
    Copy,     ///< copy the layers in order into the target, applying whiteouts by deletion
};

/// What prepareRootfs did.
struct Rootfs {
    std::filesystem::path path;  ///< the target directory, now holding the image's files
    bool overlay = false;        ///< true: an overlay mount; false: a copy
};

/// Image garbage collection policy, with the kubelet's defaults and meaning
/// (imageGCHighThresholdPercent, imageGCLowThresholdPercent, imageMinimumGCAge): once the
/// image filesystem is at least highThresholdPercent full, unused images are removed least
/// recently used first until usage is back to lowThresholdPercent.
struct GcPolicy {
    int highThresholdPercent = 85;
    int lowThresholdPercent = 80;
    std::chrono::seconds minimumAge{0};  ///< kubelet's default is 2 minutes
};

/// Capacity and free space of the filesystem holding the store (statvfs).
struct DiskUsage {
    std::uint64_t capacityBytes = 0;
    std::uint64_t availableBytes = 0;
};

/// What a garbage collection did.
struct GcResult {
    std::vector<std::string> removedImageIds;
    std::uint64_t freedBytes = 0;
};

/// The node agent's content-addressed image store, under `<root>/images`:
///   blobs/sha256/<hex>          manifests, configs and layers, verified by sha256 when
///                               written and when read
///   index.json                  images and their references, replaced atomically
///   layers/<diffID hex>/        each layer unpacked once, shared by all images
///   containers/<containerId>/   per-container overlay upper/work dirs and state
/// Thread-safe: every method may be called from any thread.
class ImageStore {
public:
    struct Options {
        Snapshotter snapshotter = Snapshotter::Auto;
    };

    /// `root` is the agent's data dir (e.g. /var/lib/slipway/agent). Nothing is touched until
    /// the first call; a store that cannot be opened reports it from every call.
    explicit ImageStore(std::filesystem::path root);
    ImageStore(std::filesystem::path root, Options options);
    ~ImageStore();
    ImageStore(const ImageStore&) = delete;
    ImageStore& operator=(const ImageStore&) = delete;

    /// Loads a `docker save` archive (manifest.json with RepoTags, Config, Layers) or an OCI
    /// image layout tarball (oci-layout, index.json with org.opencontainers.image.ref.name
    /// annotations, blobs/sha256), plain or gzip-compressed, with plain or gzip layers.
    /// Returns the images it loaded; a reference already pointing elsewhere is moved to the
    /// new image (as `docker load` does). A blob whose sha256 does not match is refused and
    /// nothing is added.
    core::Result<std::vector<Image>> loadArchive(const std::filesystem::path& tarball);

    /// An image by reference ("nginx", "docker.io/library/nginx:latest", "name@sha256:…"),
    /// by id ("sha256:<hex>") or by unique id prefix of at least 12 hex digits. NotFound when
    /// absent.
    core::Result<Image> find(std::string_view reference) const;

    /// Every image, sorted by id.
    std::vector<Image> list() const;

    /// Removes an image (by reference or id) with all its references, and its layers that no
    /// other image shares. Conflict while a container's rootfs is prepared from it.
    core::Result<void> remove(std::string_view reference);

    /// Adds `target` as another reference to the image `source` names.
    core::Result<void> tag(std::string_view source, std::string_view target);

    /// Gives container `containerId` a root filesystem from image `imageId` (id or reference)
    /// at `targetDir` (created if missing): an overlay mount of the cached layers with a
    /// per-container upper dir, or a copy. Idempotent for the same container and target.
    /// Marks the image used (for garbage collection).
    core::Result<Rootfs> prepareRootfs(std::string_view imageId, std::string_view containerId,
                                       const std::filesystem::path& targetDir);

    /// Unmounts (or deletes the copy of) the container's rootfs and drops its writable layer.
    /// Success when the container has none.
    core::Result<void> releaseRootfs(std::string_view containerId);

    /// Ids of images that a prepared rootfs uses (also in use for garbage collection).
    std::set<std::string> imagesWithRootfs() const;

    /// Image garbage collection as the kubelet does it: when `usage` is at or above the high
    /// threshold, removes images that are neither in `inUseImageIds` nor backing a prepared
    /// rootfs, least recently used first, until the low threshold is reached. An error
    /// (Unavailable) when not enough could be freed; what was removed is still removed.
    core::Result<GcResult> garbageCollect(const GcPolicy& policy,
                                          const std::set<std::string>& inUseImageIds,
                                          const DiskUsage& usage);
    /// The same, with the usage of the filesystem the store lives on.
    core::Result<GcResult> garbageCollect(const GcPolicy& policy,
                                          const std::set<std::string>& inUseImageIds);

    /// Removes unused images, least recently used first, until `bytesToFree` bytes are freed.
    core::Result<GcResult> freeSpace(std::uint64_t bytesToFree,
                                     const std::set<std::string>& inUseImageIds,
                                     std::chrono::seconds minimumAge = std::chrono::seconds{0});

    /// statvfs of the store's filesystem.
    core::Result<DiskUsage> diskUsage() const;
    /// Bytes the store's images occupy (sum of sizeBytes; shared layers counted once).
    std::uint64_t usedBytes() const;

    /// `<root>/images`.
    std::filesystem::path directory() const;

    // For RegistryClient: a pull stages blobs beside the store, then hands them over.

    /// A directory on the store's filesystem for partial downloads; it survives restarts so
    /// that a download can resume, and is emptied by nothing but addBlob.
    std::filesystem::path stagingDirectory() const;
    /// Whether the blob is in the store already.
    bool hasBlob(std::string_view digest) const;
    /// Moves `file` into the store as blob `digest` after checking its sha256 (Invalid when it
    /// does not match; the file is deleted then, so a retry starts afresh).
    core::Result<void> addBlob(std::string_view digest, const std::filesystem::path& file);
    /// Records the image whose manifest (OCI or Docker schema 2), config and layers are all
    /// blobs in the store, under `reference`: its tag, name@manifestDigest, and the
    /// reference's own digest too when it has one (the index a pull resolved through).
    core::Result<Image> addImage(std::string_view reference, std::string_view manifestDigest);

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace slipway::agent::images
