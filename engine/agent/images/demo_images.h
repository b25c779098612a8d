// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string_view>

namespace slipway::agent::images {

/// A demo image the build makes from busybox (resources/images).
struct DemoImage {
    std::string_view file;       ///< tarball name in demoImagesDirectory()
    std::string_view reference;  ///< what it loads as
};

inline constexpr DemoImage kDemoImages[] = {
    {"hello-1.tar", "slipway.local/hello:1"},
    {"hello-2.tar", "slipway.local/hello:2"},
    {"busybox-1.tar", "slipway.local/busybox:1"},
};

/// Where the demo image tarballs are: $SLIPWAY_DEMO_IMAGES_DIR when set; else
/// `<prefix>/share/slipway/images` beside the running executable's `<prefix>/bin`, when it
/// exists; else the build tree's `images` folder. The local driver preloads them from here.
std::filesystem::path demoImagesDirectory();

}  // namespace slipway::agent::images
