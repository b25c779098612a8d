// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/streaming/channel_protocol.h"

#include <limits>

namespace slipway::agent::streaming {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

std::uint16_t dimension(const nlohmann::json& value) {
    if (!value.is_number_unsigned()) {
        return 0;
    }
    const auto number = value.get<std::uint64_t>();
    return number > std::numeric_limits<std::uint16_t>::max()
               ? std::numeric_limits<std::uint16_t>::max()
               : static_cast<std::uint16_t>(number);
}

}  // namespace

std::string_view channelProtocolName(ChannelProtocol protocol) {
    return protocol == ChannelProtocol::V5 ? "v5.channel.k8s.io" : "v4.channel.k8s.io";
}

std::optional<ChannelProtocol> negotiateChannelProtocol(std::string_view offered) {
    while (!offered.empty()) {
        const auto comma = offered.find(',');
        const auto name = trim(offered.substr(0, comma));
        if (name == "v5.channel.k8s.io") {
            return ChannelProtocol::V5;
        }
        if (name == "v4.channel.k8s.io") {
            return ChannelProtocol::V4;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        offered.remove_prefix(comma + 1);
    }
    return std::nullopt;
}

ClientFrame parseClientFrame(ChannelProtocol protocol, std::string_view message) {
    ClientFrame frame;
    if (message.empty()) {
        return frame;
    }
    const auto channel = static_cast<std::uint8_t>(message.front());
    const auto payload = message.substr(1);
    if (channel == kStdinChannel) {
        frame.kind = ClientFrame::Kind::Stdin;
        frame.data = std::string(payload);
    } else if (channel == kCloseStream && protocol == ChannelProtocol::V5) {
        // Only the client's stdin can be closed by the client.
        if (!payload.empty() && static_cast<std::uint8_t>(payload.front()) == kStdinChannel) {
            frame.kind = ClientFrame::Kind::CloseStdin;
        }
    } else if (channel == kResizeChannel) {
        const auto size = nlohmann::json::parse(payload, nullptr, false);
        if (size.is_object()) {
            frame.kind = ClientFrame::Kind::Resize;
            frame.size.width = dimension(size.value("Width", nlohmann::json()));
            frame.size.height = dimension(size.value("Height", nlohmann::json()));
        }
    }
    return frame;
}

nlohmann::json exitStatus(const core::Result<int>& exit) {
    if (!exit) {
        return {{"metadata", nlohmann::json::object()},
                {"status", "Failure"},
                {"message", "Internal error occurred: " + exit.error().message()},
                {"reason", "InternalError"},
                {"details",
                 {{"causes", nlohmann::json::array({{{"message", exit.error().message()}}})}}},
                {"code", 500}};
    }
    if (*exit == 0) {
        return {{"metadata", nlohmann::json::object()}, {"status", "Success"}};
    }
    const std::string code = std::to_string(*exit);
    return {{"metadata", nlohmann::json::object()},
            {"status", "Failure"},
            {"message", "command terminated with non-zero exit code: exit status " + code},
            {"reason", "NonZeroExitCode"},
            {"details",
             {{"causes", nlohmann::json::array({{{"reason", "ExitCode"}, {"message", code}}})}}}};
}

}  // namespace slipway::agent::streaming
