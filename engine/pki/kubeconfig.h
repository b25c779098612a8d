// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/pki/certificates.h"

namespace slipway::pki {

/// One `clusters[]` entry of a kubeconfig.
struct KubeconfigCluster {
    std::string name;
    std::string server;                    ///< "http://127.0.0.1:6443"
    std::string certificateAuthorityData;  ///< base64 PEM, empty for none
    bool insecureSkipTlsVerify = false;
};

/// One `users[]` entry.
struct KubeconfigUser {
    std::string name;
    std::string clientCertificateData;  ///< base64 PEM
    std::string clientKeyData;          ///< base64 PEM
    std::string token;
};

/// One `contexts[]` entry.
struct KubeconfigContext {
    std::string name;
    std::string cluster;
    std::string user;
    std::string nameSpace;  ///< `namespace`, empty for the default
};

/// A kubeconfig file (clientcmd v1 Config) — the fields Slipway reads and writes.
struct Kubeconfig {
    std::vector<KubeconfigCluster> clusters;
    std::vector<KubeconfigUser> users;
    std::vector<KubeconfigContext> contexts;
    std::string currentContext;

    /// A kubeconfig with one cluster, user and context all named `name`, current.
    static Kubeconfig forServer(const std::string& name, const std::string& server);
    /// The same for a TLS server: the CA to trust and the client certificate to present are
    /// embedded (base64 `*-data` fields), so the file stands alone.
    static Kubeconfig forTlsServer(const std::string& name, const std::string& server,
                                   const std::string& authorityPem, const CertifiedKey& client);

    std::string toYaml() const;
    static core::Result<Kubeconfig> fromYaml(const std::string& text);

    /// Reads a kubeconfig file; a missing file is NotFound, a malformed one Invalid.
    static core::Result<Kubeconfig> load(const std::filesystem::path& path);
    /// Writes atomically (temporary file, then rename) with mode 0600: it holds credentials.
    core::Result<void> save(const std::filesystem::path& path) const;

    const KubeconfigContext* findContext(const std::string& name) const;
    const KubeconfigCluster* findCluster(const std::string& name) const;
    const KubeconfigUser* findUser(const std::string& name) const;
};

}  // namespace slipway::pki
