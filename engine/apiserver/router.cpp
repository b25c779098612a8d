// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/router.h"

#include "engine/api/status.h"
#include "engine/apiserver/discovery.h"
#include "engine/apiserver/openapi.h"
#include "engine/apiserver/request_info.h"
#include "engine/apiserver/resource_handler.h"
#include "engine/core/version.h"

namespace slipway::apiserver {
namespace {

HttpResponse statusResponse(const core::Error& error) {
    return HttpResponse::make(core::httpStatus(error.code()), "application/json",
                              api::failureStatus(error).dump());
}

bool hasQueryFlag(std::string_view query, std::string_view flag) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto item = query.substr(0, amp);
        if (item == flag || item.substr(0, item.find('=')) == flag) {
            return true;
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return false;
}

}  // namespace

Target splitTarget(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) {
        return {target, {}};
    }
    return {target.substr(0, question), target.substr(question + 1)};
}

HttpResponse Router::handle(const HttpRequest& request) const {
    const auto [path, query] = splitTarget(request.target);
    const bool readOnly = request.method == "GET" || request.method == "HEAD";

    if (path == "/healthz" || path == "/livez" || path == "/readyz" || path == "/version") {
        if (!readOnly) {
            return statusResponse(
                core::Error(core::ErrorCode::MethodNotAllowed,
                            request.method + " is not allowed on " + std::string(path)));
        }
        if (path == "/version") {
            return HttpResponse::make(200, "application/json", core::versionInfo().dump());
        }
        // The process answering is proof of liveness; readiness waits for start-up to finish.
        return health(path.substr(1), query, path != "/readyz" || m_ready);
    }
    // As kube-apiserver: authentication comes before routing, so an anonymous client learns
    // nothing about which paths exist.
    if (!request.identity.authenticated) {
        return statusResponse(core::Error(core::ErrorCode::Unauthorized, "Unauthorized"));
    }
    if (m_discovery != nullptr && m_resources != nullptr) {
        auto parameters = QueryParameters::parse(query);
        if (!parameters) {
            return statusResponse(parameters.error());
        }
        auto info = parseRequestInfo(request.method, path, parameters->flag("watch"));
        if (!info) {
            return statusResponse(info.error());
        }
        if (info->isResourceRequest) {
            return m_resources->handle(request, *info, *parameters);
        }
        if (!info->apiPrefix.empty()) {
            if (!readOnly) {
                return statusResponse(core::Error(core::ErrorCode::MethodNotAllowed,
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
            }
            return m_discovery->handle(*info, request.accept);
        }
        if (path.rfind("/openapi/", 0) == 0 && readOnly) {
            return m_openApi->handle(request);
        }
    }
    return statusResponse(
        core::Error(core::ErrorCode::NotFound, "the server could not find the requested resource"));
}

HttpResponse Router::health(std::string_view name, std::string_view query, bool passing) const {
    // Kubernetes answers "ok" in text/plain; `?verbose` lists each check, as kube-apiserver
    // does: "[+]ping ok\nhealthz check passed\n".
    HttpResponse response =
        HttpResponse::make(passing ? 200 : 503, "text/plain; charset=utf-8", {});
    if (hasQueryFlag(query, "verbose")) {
        response.body = std::string("[+]ping ok\n") + (passing ? "[+]" : "[-]") + "started " +
                        (passing ? "ok" : "failed: not finished") + "\n" + std::string(name) +
                        (passing ? " check passed\n" : " check failed\n");
    } else {
        response.body = passing ? "ok" : std::string(name) + " check failed";
    }
    return response;
}

}  // namespace slipway::apiserver
