// SPDX-License-Identifier: Apache-2.0
#include "engine/pki/certificates.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace slipway::pki {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* pointer) const { Free(pointer); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using Store = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreContext = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

/// OpenSSL's queued error messages, most recent last, as one Error.
core::Error opensslError(const std::string& what) {
    std::string message = what;
    unsigned long code = 0;
    char buffer[256];
    while ((code = ERR_get_error()) != 0) {
        ERR_error_string_n(code, buffer, sizeof buffer);
        message += std::string(": ") + buffer;
    }
    return core::Error(core::ErrorCode::Internal, message);
}

Key generateKey() {
    return Key(EVP_EC_gen("P-256"));
}

std::string bioText(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(size));
}

core::Result<std::string> keyToPem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return opensslError("writing private key");
    }
    return bioText(bio.get());
}

core::Result<std::string> certToPem(X509* cert) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
        return opensslError("writing certificate");
    }
    return bioText(bio.get());
}

core::Result<Cert> certFromPem(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Cert cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert) {
        return opensslError("reading certificate");
    }
    return cert;
}

core::Result<Key> keyFromPem(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Key key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!key) {
        return opensslError("reading private key");
    }
    return key;
}

bool addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    if (extension == nullptr) {
        return false;
    }
    const bool added = X509_add_ext(cert, extension, -1) == 1;
    X509_EXTENSION_free(extension);
    return added;
}

/// A certificate skeleton: version 3, random 159-bit serial, validity from a minute ago (clock
/// skew between host and guest) to `validity` ahead, subject and public key set.
core::Result<Cert> newCertificate(const std::string& commonName,
                                  const std::vector<std::string>& organizations, EVP_PKEY* key,
                                  std::chrono::hours validity) {
    Cert cert(X509_new());
    Bignum serial(BN_new());
    if (!cert || !serial || X509_set_version(cert.get(), 2) != 1 ||
        BN_rand(serial.get(), 159, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
        return opensslError("creating certificate");
    }
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                    static_cast<long>(std::chrono::seconds(validity).count()));
    X509_NAME* name = X509_get_subject_name(cert.get());
    for (const auto& organization : organizations) {
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(organization.c_str()), -1,
                                   -1, 0);
    }
    if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(commonName.c_str()), -1,
                                   -1, 0) != 1 ||
        X509_set_pubkey(cert.get(), key) != 1) {
        return opensslError("naming certificate " + commonName);
    }
    return cert;
}

core::Result<CertifiedKey> finish(X509* cert, EVP_PKEY* key) {
    auto certPem = certToPem(cert);
    if (!certPem) {
        return certPem.error();
    }
    auto keyPem = keyToPem(key);
    if (!keyPem) {
        return keyPem.error();
    }
    return CertifiedKey{std::move(*certPem), std::move(*keyPem)};
}

}  // namespace

core::Result<CertifiedKey> createCertificateAuthority(const std::string& commonName,
                                                      std::chrono::hours validity) {
    Key key = generateKey();
    if (!key) {
        return opensslError("generating CA key");
    }
    auto cert = newCertificate(commonName, {}, key.get(), validity);
    if (!cert) {
        return cert.error();
    }
    X509* raw = cert->get();
    X509_set_issuer_name(raw, X509_get_subject_name(raw));
    if (!addExtension(raw, raw, NID_basic_constraints, "critical,CA:TRUE") ||
        !addExtension(raw, raw, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign") ||
        !addExtension(raw, raw, NID_subject_key_identifier, "hash") ||
        X509_sign(raw, key.get(), EVP_sha256()) == 0) {
        return opensslError("signing CA certificate");
    }
    return finish(raw, key.get());
}

core::Result<CertifiedKey> issueCertificate(const CertifiedKey& authority,
                                            const CertificateRequest& request) {
    auto caCert = certFromPem(authority.certificatePem);
    if (!caCert) {
        return caCert.error().wrap("CA");
    }
    auto caKey = keyFromPem(authority.keyPem);
    if (!caKey) {
        return caKey.error().wrap("CA");
    }
    Key key = generateKey();
    if (!key) {
        return opensslError("generating key");
    }
    auto cert =
        newCertificate(request.commonName, request.organizations, key.get(), request.validity);
    if (!cert) {
        return cert.error();
    }
    X509* raw = cert->get();
    X509_set_issuer_name(raw, X509_get_subject_name(caCert->get()));

    std::string usage;
    if (request.serverAuth) {
        usage += "serverAuth";
    }
    if (request.clientAuth) {
        usage += usage.empty() ? "clientAuth" : ",clientAuth";
    }
    std::string alternativeNames;
    for (const auto& dns : request.dnsNames) {
        alternativeNames += (alternativeNames.empty() ? "DNS:" : ",DNS:") + dns;
    }
    for (const auto& ip : request.ipAddresses) {
        alternativeNames += (alternativeNames.empty() ? "IP:" : ",IP:") + ip;
    }
    bool ok = addExtension(raw, caCert->get(), NID_basic_constraints, "critical,CA:FALSE") &&
              addExtension(raw, caCert->get(), NID_key_usage, "critical,digitalSignature") &&
              addExtension(raw, caCert->get(), NID_authority_key_identifier, "keyid:always");
    if (ok && !usage.empty()) {
        ok = addExtension(raw, caCert->get(), NID_ext_key_usage, usage);
    }
    if (ok && !alternativeNames.empty()) {
        ok = addExtension(raw, caCert->get(), NID_subject_alt_name, alternativeNames);
    }
    if (!ok || X509_sign(raw, caKey->get(), EVP_sha256()) == 0) {
        return opensslError("signing certificate for " + request.commonName);
    }
    return finish(raw, key.get());
}

core::Result<Subject> certificateSubject(const std::string& certificatePem) {
    auto cert = certFromPem(certificatePem);
    if (!cert) {
        return cert.error();
    }
    Subject subject;
    const X509_NAME* name = X509_get_subject_name(cert->get());
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        const ASN1_STRING* data = X509_NAME_ENTRY_get_data(entry);
        const std::string value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                                static_cast<std::size_t>(ASN1_STRING_length(data)));
        if (nid == NID_commonName) {
            subject.commonName = value;
        } else if (nid == NID_organizationName) {
            subject.organizations.push_back(value);
        }
    }
    return subject;
}

core::Result<bool> verifyCertificate(const std::string& certificatePem,
                                     const std::string& authorityPem) {
    auto cert = certFromPem(certificatePem);
    if (!cert) {
        return cert.error();
    }
    auto authority = certFromPem(authorityPem);
    if (!authority) {
        return authority.error();
    }
    Store store(X509_STORE_new());
    StoreContext context(X509_STORE_CTX_new());
    if (!store || !context || X509_STORE_add_cert(store.get(), authority->get()) != 1 ||
        X509_STORE_CTX_init(context.get(), store.get(), cert->get(), nullptr) != 1) {
        return opensslError("preparing verification");
    }
    return X509_verify_cert(context.get()) == 1;
}

std::string base64Encode(const std::string& bytes) {
    std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                       reinterpret_cast<const unsigned char*>(bytes.data()),
                                       static_cast<int>(bytes.size()));
    text.resize(static_cast<std::size_t>(length));
    return text;
}

core::Result<std::string> base64Decode(const std::string& text) {
    if (text.size() % 4 != 0) {
        return core::Error(core::ErrorCode::BadRequest,
                           "base64 text length is not a multiple of 4");
    }
    std::string bytes(text.size() / 4 * 3, '\0');
    const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(bytes.data()),
                                       reinterpret_cast<const unsigned char*>(text.data()),
                                       static_cast<int>(text.size()));
    if (length < 0) {
        return core::Error(core::ErrorCode::BadRequest, "invalid base64 text");
    }
    // EVP_DecodeBlock counts padding as zero bytes: drop one per '='.
    std::size_t size = static_cast<std::size_t>(length);
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
        --size;
    }
    bytes.resize(size);
    return bytes;
}

}  // namespace slipway::pki
