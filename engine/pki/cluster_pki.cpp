// SPDX-License-Identifier: Apache-2.0
#include "engine/pki/cluster_pki.h"

#include <algorithm>

#include "engine/core/atomic_file.h"

namespace slipway::pki {
namespace {

constexpr auto kCaValidity = std::chrono::hours(24 * 365 * 10);
constexpr auto kLeafValidity = std::chrono::hours(24 * 365);

core::Result<CertifiedKey> loadPair(const std::filesystem::path& dir, const std::string& name) {
    auto certificate = core::readFile(dir / (name + ".crt"));
    if (!certificate) {
        return certificate.error();
    }
    auto key = core::readFile(dir / (name + ".key"));
    if (!key) {
        return key.error();
    }
    return CertifiedKey{std::move(*certificate), std::move(*key)};
}

core::Result<void> savePair(const std::filesystem::path& dir, const std::string& name,
                            const CertifiedKey& pair) {
    // Key first: a certificate without its key on disk would look complete to loadPair.
    if (auto saved = core::writeFileAtomically(dir / (name + ".key"), pair.keyPem, 0600); !saved) {
        return saved;
    }
    return core::writeFileAtomically(dir / (name + ".crt"), pair.certificatePem, 0644);
}

/// Loads `name` or, if it does not exist yet, makes it with `make` and saves it.
template <typename Make>
core::Result<CertifiedKey> loadOrCreate(const std::filesystem::path& dir, const std::string& name,
                                        Make&& make) {
    auto loaded = loadPair(dir, name);
    if (loaded || loaded.error().code() != core::ErrorCode::NotFound) {
        return loaded;
    }
    auto made = make();
    if (!made) {
        return made;
    }
    if (auto saved = savePair(dir, name, *made); !saved) {
        return saved.error();
    }
    return made;
}

void addUnique(std::vector<std::string>& into, const std::vector<std::string>& values) {
    for (const auto& value : values) {
        if (std::find(into.begin(), into.end(), value) == into.end()) {
            into.push_back(value);
        }
    }
}

}  // namespace

core::Result<ClusterPki> ensureClusterPki(const std::filesystem::path& dir,
                                          const ServingNames& names) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return core::Error(core::ErrorCode::Io,
                           "cannot create " + dir.string() + ": " + ec.message());
    }
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);

    ClusterPki pki;
    auto authority = loadOrCreate(
        dir, "ca", [] { return createCertificateAuthority("slipway-ca", kCaValidity); });
    if (!authority) {
        return authority.error().wrap("cluster CA");
    }
    pki.authority = std::move(*authority);

    auto admin = loadOrCreate(dir, "admin", [&pki] {
        CertificateRequest request;
        request.commonName = "slipway-admin";
        request.organizations = {"system:masters"};
        request.clientAuth = true;
        request.validity = kLeafValidity;
        return issueCertificate(pki.authority, request);
    });
    if (!admin) {
        return admin.error().wrap("admin certificate");
    }
    pki.admin = std::move(*admin);

    CertificateRequest serving;
    serving.commonName = "slipway-apiserver";
    serving.serverAuth = true;
    serving.validity = kLeafValidity;
    serving.ipAddresses = {"127.0.0.1", "::1", "10.96.0.1"};
    serving.dnsNames = {"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                        "kubernetes.default.svc.cluster.local"};
    addUnique(serving.ipAddresses, names.ipAddresses);
    addUnique(serving.dnsNames, names.dnsNames);
    auto apiServer = issueCertificate(pki.authority, serving);
    if (!apiServer) {
        return apiServer.error().wrap("serving certificate");
    }
    if (auto saved = savePair(dir, "apiserver", *apiServer); !saved) {
        return saved.error();
    }
    pki.apiServer = std::move(*apiServer);
    return pki;
}

}  // namespace slipway::pki
