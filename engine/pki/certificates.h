// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace slipway::pki {

/// A certificate and its private key, both PEM.
struct CertifiedKey {
    std::string certificatePem;
    std::string keyPem;
};

/// What to put in a certificate. Keys are ECDSA P-256: as strong as RSA-3072, a hundred times
/// faster to generate, and accepted by kubectl, client-go and browsers alike.
struct CertificateRequest {
    std::string commonName;
    std::vector<std::string> organizations;  ///< O=…; Kubernetes reads them as groups
    std::vector<std::string> dnsNames;       ///< subjectAltName DNS entries
    std::vector<std::string> ipAddresses;    ///< subjectAltName IP entries (v4 or v6)
    bool serverAuth = false;
    bool clientAuth = false;
    std::chrono::hours validity = std::chrono::hours(24 * 365);
};

/// A new self-signed certificate authority (CA:TRUE, keyCertSign), valid for `validity`.
core::Result<CertifiedKey> createCertificateAuthority(const std::string& commonName,
                                                      std::chrono::hours validity);

/// A leaf certificate for `request`, signed by `authority`.
core::Result<CertifiedKey> issueCertificate(const CertifiedKey& authority,
                                            const CertificateRequest& request);

/// The subject of a PEM certificate: CN and every O, as the API server authenticates them.
struct Subject {
    std::string commonName;
    std::vector<std::string> organizations;
};
core::Result<Subject> certificateSubject(const std::string& certificatePem);

/// True if `certificatePem` was signed by `authorityPem` and is within its validity now.
core::Result<bool> verifyCertificate(const std::string& certificatePem,
                                     const std::string& authorityPem);

/// Standard base64 (with padding), as kubeconfig's *-data fields hold PEM.
std::string base64Encode(const std::string& bytes);
core::Result<std::string> base64Decode(const std::string& text);

}  // namespace slipway::pki
