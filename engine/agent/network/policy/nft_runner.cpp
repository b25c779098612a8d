// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/network/policy/nft_runner.h"

#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>

#include <fcntl.h>
#include <nftables/libnftables.h>
#include <sched.h>
#include <unistd.h>

namespace slipway::agent::network::policy {
namespace {

struct ContextDeleter {
    void operator()(nft_ctx* context) const { nft_ctx_free(context); }
};

core::Result<std::string> runHere(const std::string& script) {
    std::unique_ptr<nft_ctx, ContextDeleter> context(nft_ctx_new(NFT_CTX_DEFAULT));
    if (!context) {
        return core::Error(core::ErrorCode::Internal, "nft: cannot create a context");
    }
    nft_ctx_buffer_output(context.get());
    nft_ctx_buffer_error(context.get());
    if (nft_run_cmd_from_buffer(context.get(), script.c_str()) != 0) {
        const char* error = nft_ctx_get_error_buffer(context.get());
        return core::Error(core::ErrorCode::Internal,
                           std::string("nft: ") + (error != nullptr ? error : "failed"));
    }
    const char* output = nft_ctx_get_output_buffer(context.get());
    return std::string(output != nullptr ? output : "");
}

}  // namespace

NftRunner::NftRunner(std::string netnsPath) : m_netnsPath(std::move(netnsPath)) {}

core::Result<void> NftRunner::run(const std::string& script) const {
    auto result = execute(script);
    if (!result) {
        return result.error();
    }
    return core::success();
}

core::Result<std::string> NftRunner::output(const std::string& command) const {
    return execute(command);
}

core::Result<std::string> NftRunner::execute(const std::string& script) const {
    if (m_netnsPath.empty()) {
        return runHere(script);
    }
    // setns() changes the calling thread's namespace only: a thread of its own joins the
    // target, runs nft there and ends, so no other thread of the process moves.
    core::Result<std::string> result = core::Error(core::ErrorCode::Internal, "nft: did not run");
    std::thread worker([&] {
        const int fd = open(m_netnsPath.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            result = core::Error(core::ErrorCode::Io,
                                 "opening " + m_netnsPath + ": " + std::strerror(errno));
            return;
        }
        if (setns(fd, CLONE_NEWNET) != 0) {
            result = core::Error(core::ErrorCode::Io,
                                 "entering " + m_netnsPath + ": " + std::strerror(errno));
            close(fd);
            return;
        }
        close(fd);
        result = runHere(script);
    });
    worker.join();
    return result;
}

}  // namespace slipway::agent::network::policy
