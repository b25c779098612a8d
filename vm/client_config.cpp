// SPDX-License-Identifier: Apache-2.0
#include "vm/client_config.h"

#include "engine/pki/kubeconfig.h"

namespace slipway::vm {

core::Result<client::ClientConfig> clientConfigFrom(const std::filesystem::path& path) {
    auto loaded = pki::Kubeconfig::load(path);
    if (!loaded) {
        return loaded.error();
    }
    return client::ClientConfig::fromKubeconfig(*loaded);
}

}  // namespace slipway::vm
