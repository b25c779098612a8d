// SPDX-License-Identifier: Apache-2.0
#include "gui/services/api_session.h"

#include "engine/pki/kubeconfig.h"

namespace slipway::gui {

core::Result<client::ClientConfig> ApiSession::config() const {
    auto kubeconfig = pki::Kubeconfig::load(m_target.kubeconfigPath.toStdString());
    if (!kubeconfig.ok()) {
        return kubeconfig.error();
    }
    return client::ClientConfig::fromKubeconfig(kubeconfig.value(), m_target.context.toStdString());
}

core::Result<std::shared_ptr<client::HttpsClient>> ApiSession::client() {
    const std::lock_guard lock(m_mutex);
    if (m_client) {
        return m_client;
    }
    auto settings = config();
    if (!settings.ok()) {
        return settings.error();
    }
    client::HttpsClientOptions options;
    options.userAgent = "slipway-studio";
    m_client = std::make_shared<client::HttpsClient>(std::move(settings).value(), options);
    return m_client;
}

}  // namespace slipway::gui
