// SPDX-License-Identifier: Apache-2.0
#include "engine/client/tls_context.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "engine/client/rest_client.h"

namespace slipway::client::detail {

namespace asio = boost::asio;

core::Result<std::shared_ptr<asio::ssl::context>> makeTlsContext(const ClientConfig& config) {
    auto tls = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    boost::system::error_code ec;
    tls->set_options(asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                         asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                     ec);
    if (config.insecureSkipTlsVerify) {
        tls->set_verify_mode(asio::ssl::verify_none, ec);
    } else {
        tls->set_verify_mode(asio::ssl::verify_peer, ec);
        if (config.certificateAuthorityPem.empty()) {
            tls->set_default_verify_paths(ec);
        } else {
            tls->add_certificate_authority(asio::buffer(config.certificateAuthorityPem), ec);
        }
        if (ec) {
            return core::Error(core::ErrorCode::BadRequest,
                               "unable to load root certificates: " + ec.message());
        }
    }
    if (!config.clientCertificatePem.empty()) {
        tls->use_certificate_chain(asio::buffer(config.clientCertificatePem), ec);
        if (!ec) {
            tls->use_private_key(asio::buffer(config.clientKeyPem), asio::ssl::context::pem, ec);
        }
        if (ec) {
            return core::Error(core::ErrorCode::BadRequest,
                               "unable to load the client certificate: " + ec.message());
        }
    }
    return tls;
}

void expectPeerName(ssl_st* ssl, const std::string& host) {
    boost::system::error_code addressError;
    asio::ip::make_address(host, addressError);
    if (addressError) {
        // SSL_set_tlsext_host_name is a macro with a C cast; this is what it expands to.
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str()));
        SSL_set1_host(ssl, host.c_str());
    } else {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str());
    }
}

}  // namespace slipway::client::detail
