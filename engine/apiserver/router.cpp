// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/router.h"

#include <algorithm>
#include <future>
#include <optional>

#include "engine/api/status.h"
#include "engine/apiserver/authentication.h"
#include "engine/apiserver/authorization.h"
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

/// The token of "Authorization: Bearer <token>" (scheme case-insensitive, as Go's
/// bearertoken authenticator); empty for anything else.
std::string_view bearerToken(std::string_view header) {
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() <= kScheme.size()) {
        return {};
    }
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char c = header[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) {
            return {};
        }
    }
    auto token = header.substr(kScheme.size());
    while (!token.empty() && token.front() == ' ') {
        token.remove_prefix(1);
    }
    while (!token.empty() && token.back() == ' ') {
        token.remove_suffix(1);
    }
    return token;
}

std::string lowerCase(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return text;
}

AuthorizationAttributes attributesOf(const HttpRequest& request, const RequestInfo& info) {
    AuthorizationAttributes attributes;
    attributes.user = request.identity;
    attributes.resourceRequest = info.isResourceRequest;
    attributes.path = info.path;
    if (!info.isResourceRequest) {
        // kube-apiserver: a non-resource request's verb is its method in lower case.
        attributes.verb = lowerCase(request.method);
        return attributes;
    }
    attributes.verb = info.verb;
    attributes.nameSpace = info.nameSpace;
    // kube's RequestInfoFactory reads /api/v1/namespaces/NAME as a request in namespace NAME:
    // who may read namespaces in a namespace may read that namespace.
    if (info.group.empty() && info.resource == "namespaces" && info.nameSpace.empty()) {
        attributes.nameSpace = info.name;
    }
    attributes.apiGroup = info.group;
    attributes.apiVersion = info.version;
    attributes.resource = info.resource;
    attributes.subresource = info.subresource;
    attributes.name = info.name;
    return attributes;
}

/// 403 as kube-apiserver's responsewriters.Forbidden answers it: a Forbidden Status whose
/// message names the group-resource (without subresource) and the object.
HttpResponse forbidden(const AuthorizationAttributes& attributes, const std::string& reason) {
    const std::string detail = forbiddenMessage(attributes, reason);
    std::string message;
    nlohmann::json details = nlohmann::json::object();
    if (attributes.resource.empty()) {
        message = "forbidden: " + detail;
    } else {
        const std::string qualified = attributes.apiGroup.empty()
                                          ? attributes.resource
                                          : attributes.resource + "." + attributes.apiGroup;
        message = attributes.name.empty()
                      ? qualified + " is forbidden: " + detail
                      : qualified + " \"" + attributes.name + "\" is forbidden: " + detail;
        if (!attributes.apiGroup.empty()) {
            details["group"] = attributes.apiGroup;
        }
        details["kind"] = attributes.resource;
        if (!attributes.name.empty()) {
            details["name"] = attributes.name;
        }
    }
    return HttpResponse::make(
        403, "application/json",
        api::failureStatus(core::Error(core::ErrorCode::Forbidden, message), std::move(details))
            .dump());
}

std::string createOnlyKey(std::string_view group, std::string_view resource,
                          std::string_view subresource) {
    return std::string(group) + "/" + std::string(resource) + "/" + std::string(subresource);
}

}  // namespace

std::string forbiddenMessage(const AuthorizationAttributes& attributes, const std::string& reason) {
    std::string message = "User \"" + attributes.user.user + "\" cannot " + attributes.verb;
    if (!attributes.resourceRequest) {
        message += " path \"" + attributes.path + "\"";
    } else {
        const std::string resource = attributes.subresource.empty()
                                         ? attributes.resource
                                         : attributes.resource + "/" + attributes.subresource;
        message += " resource \"" + resource + "\" in API group \"" + attributes.apiGroup + "\"";
        message += attributes.nameSpace.empty()
                       ? std::string(" at the cluster scope")
                       : " in the namespace \"" + attributes.nameSpace + "\"";
    }
    return reason.empty() ? message : message + ": " + reason;
}

void Router::addCreateOnlyResource(const std::string& group, const std::string& resource,
                                   const std::string& subresource, CreateOnlyHandler handler) {
    m_createOnly.insert_or_assign(createOnlyKey(group, resource, subresource), std::move(handler));
}

void Router::addReadOnlyResource(const std::string& group, const std::string& resource,
                                 CreateOnlyHandler handler) {
    m_readOnly.insert_or_assign(createOnlyKey(group, resource, ""), std::move(handler));
}

void Router::addConnectResource(const std::string& group, const std::string& resource,
                                const std::string& subresource, CreateOnlyHandler handler) {
    m_connect.insert_or_assign(createOnlyKey(group, resource, subresource), std::move(handler));
}

void Router::addPathHandler(const std::string& prefix,
                            std::function<HttpResponse(const HttpRequest& request)> handler) {
    m_pathHandlers.emplace_back(prefix, std::move(handler));
}

void Router::acceptStreamedBodies(const std::string& group, const std::string& resource,
                                  const std::string& subresource) {
    m_streamedConnect.insert(createOnlyKey(group, resource, subresource));
}

void Router::acceptStreamedBodies(const std::string& pathPrefix) {
    m_streamedPrefixes.push_back(pathPrefix);
}

bool Router::acceptsStreamedBody(const std::string& method, std::string_view target) const {
    const auto [path, query] = splitTarget(target);
    for (const auto& prefix : m_streamedPrefixes) {
        if (path.rfind(prefix, 0) == 0) {
            return true;
        }
    }
    if (m_streamedConnect.empty()) {
        return false;
    }
    const auto info = parseRequestInfo(method, path, false);
    return info && info->isResourceRequest && !info->name.empty() &&
           m_streamedConnect.contains(
               createOnlyKey(info->group, info->resource, info->subresource));
}

std::string HttpRequest::header(std::string_view name) const {
    const auto lowerName = lowerCase(std::string(name));
    for (const auto& [key, value] : headers) {
        if (lowerCase(key) == lowerName) {
            return value;
        }
    }
    return {};
}

Target splitTarget(std::string_view target) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) {
        return {target, {}};
    }
    return {target.substr(0, question), target.substr(question + 1)};
}

HttpResponse awaitResponse(HttpResponse response) {
    while (response.deferred) {
        auto deferred = std::move(response.deferred);
        std::promise<std::function<HttpResponse()>> promise;
        auto finished = promise.get_future();
        deferred([&promise](std::function<HttpResponse()> finish) {
            promise.set_value(std::move(finish));
        });
        response = finished.get()();
    }
    return response;
}

HttpResponse thenResponse(HttpResponse response, std::function<HttpResponse(HttpResponse)> then) {
    if (!response.deferred) {
        return then(std::move(response));
    }
    HttpResponse later;
    later.deferred = [deferred = std::move(response.deferred),
                      then = std::move(then)](ResumeResponse resume) mutable {
        deferred([resume = std::move(resume),
                  then = std::move(then)](std::function<HttpResponse()> finish) mutable {
            resume([finish = std::move(finish), then = std::move(then)]() mutable {
                return thenResponse(finish(), std::move(then));
            });
        });
    };
    return later;
}

HttpResponse Router::handle(const HttpRequest& request) const {
    return awaitResponse(handleAsync(request));
}

HttpResponse Router::handleAsync(const HttpRequest& request) const {
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
    // nothing about which paths exist. A client certificate wins over a bearer token.
    std::optional<Identity> authenticated;
    if (!request.identity.authenticated && m_authenticator != nullptr) {
        if (const auto token = bearerToken(request.authorization); !token.empty()) {
            auto identity = m_authenticator->authenticateToken(std::string(token));
            if (!identity) {
                return statusResponse(core::Error(core::ErrorCode::Unauthorized, "Unauthorized"));
            }
            authenticated = std::move(*identity);
        }
    }
    const Identity& requester = authenticated ? *authenticated : request.identity;
    if (!requester.authenticated) {
        return statusResponse(core::Error(core::ErrorCode::Unauthorized, "Unauthorized"));
    }
    if (!request.impersonateUser.empty() || !request.impersonateGroups.empty()) {
        auto acting = impersonate(request, requester);
        if (auto* refused = std::get_if<HttpResponse>(&acting)) {
            return std::move(*refused);
        }
        authenticated = std::get<Identity>(std::move(acting));
    }
    if (!authenticated) {
        return route(request);
    }
    HttpRequest asIdentity = request;
    asIdentity.identity = std::move(*authenticated);
    return route(asIdentity);
}

std::variant<Identity, HttpResponse> Router::impersonate(const HttpRequest& request,
                                                         const Identity& requester) const {
    // kube-apiserver's impersonation filter: a user must be named, and each of the user
    // (or service account) and the groups must be allowed the "impersonate" verb.
    if (request.impersonateUser.empty()) {
        return statusResponse(core::Error(core::ErrorCode::BadRequest,
                                          "requested impersonation without impersonating a user"));
    }
    constexpr std::string_view kServiceAccountPrefix = "system:serviceaccount:";
    Identity acting{request.impersonateUser, request.impersonateGroups, true};
    std::vector<AuthorizationAttributes> checks;
    auto user = AuthorizationAttributes::forResource(requester, "impersonate", "", "users", "",
                                                     request.impersonateUser);
    if (request.impersonateUser.rfind(kServiceAccountPrefix, 0) == 0) {
        // system:serviceaccount:NS:NAME is the service account NAME in NS.
        const std::string rest = request.impersonateUser.substr(kServiceAccountPrefix.size());
        const auto colon = rest.find(':');
        if (colon != std::string::npos) {
            user.resource = "serviceaccounts";
            user.nameSpace = rest.substr(0, colon);
            user.name = rest.substr(colon + 1);
            if (request.impersonateGroups.empty()) {
                acting.groups = {"system:serviceaccounts",
                                 "system:serviceaccounts:" + user.nameSpace};
            }
        }
    }
    checks.push_back(user);
    for (const auto& group : request.impersonateGroups) {
        AuthorizationAttributes groupCheck = user;
        groupCheck.resource = "groups";
        groupCheck.nameSpace.clear();
        groupCheck.name = group;
        checks.push_back(std::move(groupCheck));
    }
    if (m_authorizer != nullptr) {
        for (const auto& check : checks) {
            if (const auto decision = m_authorizer->authorize(check); !decision.allowed) {
                return forbidden(check, decision.reason);
            }
        }
    }
    const bool anonymous = acting.user == "system:anonymous";
    const auto has = [&acting](const char* group) {
        return std::find(acting.groups.begin(), acting.groups.end(), group) != acting.groups.end();
    };
    if (!anonymous && !has("system:authenticated") && !has("system:unauthenticated")) {
        acting.groups.emplace_back("system:authenticated");
    } else if (anonymous && !has("system:unauthenticated")) {
        acting.groups.emplace_back("system:unauthenticated");
    }
    return acting;
}

HttpResponse Router::route(const HttpRequest& request) const {
    const auto [path, query] = splitTarget(request.target);
    const bool readOnly = request.method == "GET" || request.method == "HEAD";
    auto parameters = QueryParameters::parse(query);
    if (!parameters) {
        return statusResponse(parameters.error());
    }
    auto info = parseRequestInfo(request.method, path, parameters->flag("watch"));
    if (!info) {
        return statusResponse(info.error());
    }
    // As kube-apiserver: authorisation before routing, so a 404 tells only the allowed.
    if (m_authorizer != nullptr) {
        const auto attributes = attributesOf(request, *info);
        const auto decision = m_authorizer->authorize(attributes);
        if (!decision.allowed) {
            return forbidden(attributes, decision.reason);
        }
    }
    if (info->isResourceRequest) {
        const auto connect =
            m_connect.find(createOnlyKey(info->group, info->resource, info->subresource));
        if (connect != m_connect.end() && !info->name.empty()) {
            return connect->second(request, *info);
        }
        const auto createOnly =
            m_createOnly.find(createOnlyKey(info->group, info->resource, info->subresource));
        if (createOnly != m_createOnly.end()) {
            if (info->verb != "create") {
                return statusResponse(core::Error(core::ErrorCode::MethodNotAllowed,
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
            }
            return createOnly->second(request, *info);
        }
        const auto computed = m_readOnly.find(createOnlyKey(info->group, info->resource, ""));
        if (computed != m_readOnly.end()) {
            if ((info->verb != "get" && info->verb != "list") || !info->subresource.empty()) {
                return statusResponse(core::Error(core::ErrorCode::MethodNotAllowed,
                                                  "the server does not allow this method on the "
                                                  "requested resource"));
            }
            return computed->second(request, *info);
        }
    }
    if (m_discovery != nullptr && m_resources != nullptr) {
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
    if (!info->isResourceRequest) {
        for (const auto& [prefix, handler] : m_pathHandlers) {
            if (path.rfind(prefix, 0) == 0) {
                return handler(request);
            }
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
