// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace slipway::api {

/// The fields of a core/v1 Volume that name its source (VolumeSource, 1.32). A volume names
/// exactly one; defaulting makes a volume that names none an emptyDir.
inline constexpr std::string_view kVolumeSources[] = {
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
};

}  // namespace slipway::api
