// SPDX-License-Identifier: Apache-2.0
#include "vm/image/guest_image.h"

#include <cstdlib>

#include "engine/core/atomic_file.h"
#include "vm/image/cpio_archive.h"

namespace slipway::vm::image {

namespace {

using core::Error;
using core::ErrorCode;

bool holdsImage(const std::filesystem::path& dir) {
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / kKernelFileName, ec) &&
           std::filesystem::is_regular_file(dir / kInitramfsFileName, ec);
}

}  // namespace

std::filesystem::path bootKernel(const std::filesystem::path& imageDir) {
    std::error_code ec;
    const auto pvh = imageDir / kPvhKernelFileName;
    return std::filesystem::is_regular_file(pvh, ec) ? pvh : imageDir / kKernelFileName;
}

core::Result<std::filesystem::path> locateGuestImage() {
    std::vector<std::filesystem::path> candidates;
    if (const char* env = std::getenv("SLIPWAY_GUEST_IMAGE_DIR"); env != nullptr && *env) {
        candidates.emplace_back(env);
    }
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        candidates.push_back(self.parent_path().parent_path() / "share" / "slipway" / "guest");
    }
#ifdef SLIPWAY_GUEST_IMAGE_BUILD_DIR
    candidates.emplace_back(SLIPWAY_GUEST_IMAGE_BUILD_DIR);
#endif
    std::string tried;
    for (const auto& dir : candidates) {
        if (holdsImage(dir)) {
            return dir.lexically_normal();
        }
        tried += (tried.empty() ? "" : ", ") + dir.lexically_normal().string();
    }
    return Error(ErrorCode::NotFound,
                 "no guest image (" + std::string(kKernelFileName) + " and " +
                     std::string(kInitramfsFileName) + ") in " + tried +
                     "; build the target slipway_guest_image or set SLIPWAY_GUEST_IMAGE_DIR");
}

std::string shellQuote(std::string_view value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    out += '\'';
    return out;
}

std::string guestEnvironment(const GuestConfig& config) {
    std::string extra;
    for (const auto& arg : config.extraArgs) {
        extra += (extra.empty() ? "" : " ") + shellQuote(arg);
    }
    const std::pair<const char*, std::string> values[] = {
        {"SLIPWAY_ROLE", config.role},
        {"SLIPWAY_NODE_NAME", config.nodeName},
        {"SLIPWAY_CLUSTER_NAME", config.clusterName},
        {"SLIPWAY_API_PORT", std::to_string(config.apiPort)},
        {"SLIPWAY_NODE_IP", config.nodeIp},
        {"SLIPWAY_NODE_PREFIX", std::to_string(config.prefixLength)},
        {"SLIPWAY_GATEWAY", config.gateway},
        {"SLIPWAY_DNS", config.dns},
        {"SLIPWAY_SERVER_URL", config.serverUrl},
        {"SLIPWAY_JOIN_TOKEN", config.joinToken},
        {"SLIPWAY_PRIVATE_INTERFACE", config.privateNetwork.interfaceName},
        {"SLIPWAY_PRIVATE_ADDRESS", config.privateNetwork.address},
        {"SLIPWAY_EXTRA_ARGS", extra},
    };
    std::string out = "# Written by the Slipway host for this node; read by /init.\n";
    for (const auto& [key, value] : values) {
        out += std::string(key) + "=" + shellQuote(value) + "\n";
    }
    return out;
}

core::Result<void> writeConfigInitramfs(const GuestConfig& config,
                                        const std::filesystem::path& path) {
    CpioArchive archive;
    archive.addDirectory("etc", 0755);
    archive.addDirectory("etc/slipway", 0755);
    archive.addFile("etc/slipway/guest.env", guestEnvironment(config), 0600);
    archive.addDirectory("etc/slipway/pki", 0700);
    const std::pair<const char*, const std::string*> files[] = {
        {"ca.crt", &config.pki.caCertificate},           {"ca.key", &config.pki.caKey},
        {"admin.crt", &config.pki.adminCertificate},     {"admin.key", &config.pki.adminKey},
        {"kubelet.crt", &config.pki.kubeletCertificate}, {"kubelet.key", &config.pki.kubeletKey},
    };
    for (const auto& [name, content] : files) {
        if (!content->empty()) {
            const bool key = std::string_view(name).ends_with(".key");
            archive.addFile(std::string("etc/slipway/pki/") + name, *content, key ? 0600 : 0644);
        }
    }
    // Mode 0600: it carries the cluster CA's key.
    auto written = archive.write(path, Compression::None, 0600);
    if (!written) {
        return written.error().wrap("writing the guest configuration");
    }
    return core::success();
}

core::Result<void> writeNodeInitrd(const std::filesystem::path& base,
                                   const std::filesystem::path& config,
                                   const std::filesystem::path& out) {
    auto baseBytes = core::readFile(base);
    if (!baseBytes) {
        return baseBytes.error().wrap("the guest image");
    }
    auto configBytes = core::readFile(config);
    if (!configBytes) {
        return configBytes.error().wrap("the guest configuration");
    }
    std::string initrd = std::move(*baseBytes);
    // The kernel reads an uncompressed cpio only at an offset that is a multiple of 4 and skips
    // the zeros in between.
    initrd.append((4 - initrd.size() % 4) % 4, '\0');
    initrd += *configBytes;
    return core::writeFileAtomically(out, initrd, 0600);
}

}  // namespace slipway::vm::image
