// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/images/demo_images.h"

#include <cstdlib>
#include <system_error>

namespace slipway::agent::images {

std::filesystem::path demoImagesDirectory() {
    if (const char* env = std::getenv("SLIPWAY_DEMO_IMAGES_DIR"); env != nullptr && *env != 0) {
        return env;
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = exe.parent_path().parent_path() / "share" / "slipway" / "images";
        if (std::filesystem::is_directory(installed, ec)) {
            return installed;
        }
    }
    return SLIPWAY_DEMO_IMAGES_BUILD_DIR;
}

}  // namespace slipway::agent::images
