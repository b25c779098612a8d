// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/client.h"
#include "engine/core/result.h"

namespace slipway::agent::volumes {

/// One bind mount of a container, ready for its OCI spec.
struct Mount {
    std::string containerPath;  ///< volumeMounts[].mountPath
    std::string hostPath;       ///< the volume's directory (or file), subPath resolved
    bool readOnly = false;
    /// mountPropagation: "None" (rprivate), "HostToContainer" (rslave), "Bidirectional"
    /// (rshared).
    std::string propagation = "None";
    /// The volume it comes from.
    std::string volume;
};

/// A volume the manager could not set up, with the message of the kubelet's `FailedMount`
/// event: `MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found`.
struct VolumeFailure {
    std::string volume;
    std::string message;
};

/// Settings of a VolumeManager.
struct VolumeManagerOptions {
    /// Mount emptyDir medium Memory as tmpfs (needs root; otherwise a plain directory).
    bool mountTmpfs = true;
    /// The name of the node (spec.nodeName in downward API defaults).
    std::string nodeName;
    /// The ConfigMap that projected service account volumes take the CA from.
    std::string rootCaConfigMap = "kube-root-ca.crt";
};

/// The kubelet's volume manager for one node: materialises a pod's volumes under
/// `<root>/pods/<podUID>/volumes/<kubernetes.io~plugin>/<name>/` and answers each container's
/// mounts.
///
/// Plugins: emptyDir (kubernetes.io~empty-dir; medium Memory is a tmpfs with sizeLimit),
/// hostPath (no directory of its own; type checks with the kubelet's messages), configMap
/// (kubernetes.io~configmap), secret (kubernetes.io~secret), downwardAPI
/// (kubernetes.io~downward-api), projected (kubernetes.io~projected: serviceAccountToken through
/// the TokenRequest API, configMap, secret, downwardAPI, clusterTrustBundle not supported) and
/// persistentVolumeClaim (a bound PV's hostPath or local path).
///
/// Files of configMap/secret/downwardAPI/projected volumes are written as the kubelet's
/// AtomicWriter does: a timestamped directory `..2026_11_29_02_50_51.123456789`, a `..data`
/// symlink to it replaced by rename(2), and the user-visible names as symlinks to
/// `..data/<name>`, so a reader sees either the old or the new set, never a mix.
///
/// Thread-safe; calls block on the API server.
class VolumeManager {
public:
    VolumeManager(std::filesystem::path root, const client::Client& client,
                  VolumeManagerOptions options = {});
    ~VolumeManager();
    VolumeManager(const VolumeManager&) = delete;
    VolumeManager& operator=(const VolumeManager&) = delete;

    /// Sets up every volume of `pod` (idempotent: volumes already set up are refreshed, as
    /// resync does). Returns the volumes that failed; empty when all are ready. A failed volume
    /// is retried by the next call.
    std::vector<VolumeFailure> setUp(const nlohmann::json& pod);

    /// Rewrites configMap, secret, downwardAPI and projected volumes whose sources changed, and
    /// renews service account tokens past 80% of their lifetime. Same answer as setUp.
    std::vector<VolumeFailure> resync(const nlohmann::json& pod);

    /// The mounts of container `containerName` (of spec.containers, initContainers or
    /// ephemeralContainers) in volumeMounts order, subPath and subPathExpr resolved (the
    /// subPath is created if missing; `..` or absolute subPaths and symlinks leading out of the
    /// volume are refused). `env` expands subPathExpr's $(VAR); without it the container's
    /// literal env values are used. Call after a successful setUp.
    core::Result<std::vector<Mount>> mounts(const nlohmann::json& pod,
                                            const std::string& containerName,
                                            const std::map<std::string, std::string>& env = {});

    /// Removes the pod's volumes: unmounts tmpfs, deletes <root>/pods/<podUID>/volumes (hostPath
    /// and persistent volumes' data is left alone).
    core::Result<void> tearDown(const std::string& podUid);

    /// <root>/pods/<podUID>/volumes.
    std::filesystem::path podVolumesDir(const std::string& podUid) const;
    /// The directory of one volume: <root>/pods/<podUID>/volumes/<plugin>/<name>, or the host
    /// path for hostPath and persistent volumes. Empty if unknown.
    std::filesystem::path volumePath(const nlohmann::json& pod, const std::string& volume) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The kubelet's AtomicWriter: makes `dir` hold exactly `files` (relative path → content and
/// mode) through a new timestamped directory and an atomic swap of `..data`. Unchanged content
/// writes nothing. Returns whether anything changed.
struct ProjectedFile {
    std::string content;
    unsigned mode = 0644;
};
core::Result<bool> writeAtomically(const std::filesystem::path& dir,
                                   const std::map<std::string, ProjectedFile>& files);

}  // namespace slipway::agent::volumes
