// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/pki/certificates.h"

namespace slipway::pki {

/// The certificates a cluster runs on, as files under one folder (mode 0600 for keys):
///   ca.crt, ca.key            the cluster CA (10 years), created once
///   apiserver.crt/.key        the API server's serving certificate, issued at every start so
///                             its names always match where the server listens
///   admin.crt/.key            the admin client (CN=slipway-admin, O=system:masters), created once
struct ClusterPki {
    CertifiedKey authority;
    CertifiedKey apiServer;
    CertifiedKey admin;
};

/// Names the serving certificate must carry besides the built-in ones (127.0.0.1, ::1,
/// localhost, 10.96.0.1 and kubernetes, kubernetes.default, kubernetes.default.svc,
/// kubernetes.default.svc.cluster.local).
struct ServingNames {
    std::vector<std::string> ipAddresses;
    std::vector<std::string> dnsNames;
};

/// Loads the PKI under `dir`, creating what is missing, and issues a fresh serving
/// certificate for `names`.
core::Result<ClusterPki> ensureClusterPki(const std::filesystem::path& dir,
                                          const ServingNames& names = {});

}  // namespace slipway::pki
