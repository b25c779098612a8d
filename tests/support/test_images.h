// SPDX-License-Identifier: Apache-2.0
// Image tarballs that tests build themselves: busybox as the shell, plus a blob of bytes that
// do not compress, so a test can check that every byte of an upload arrived.
#pragma once

#include <cstddef>
#include <string>

#include <QString>

namespace slipway::testing {

/// Writes an OCI-layout tarball to `path` holding one image, `reference`, whose layer has
/// /bin/busybox (the host's static one), /bin/sh → busybox and /data/blob of `blobBytes`
/// pseudo-random bytes. False if busybox cannot be read or the file cannot be written.
bool writeBusyboxImage(const QString& path, const std::string& reference, std::size_t blobBytes);

/// The pod that checks such an image: restartPolicy Never, imagePullPolicy Never, printing the
/// size of /data/blob (`wc -c`), which `kubectl logs` then shows.
std::string blobSizePod(const std::string& name, const std::string& reference);

}  // namespace slipway::testing
