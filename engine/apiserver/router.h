// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace slipway::apiserver {

/// Who sent a request, as authentication established it.
struct Identity {
    std::string user;                 ///< "slipway-admin", "system:anonymous"
    std::vector<std::string> groups;  ///< "system:masters", "system:authenticated", …
    bool authenticated = false;

    static Identity anonymous() { return {"system:anonymous", {"system:unauthenticated"}, false}; }
};

/// One HTTP request as the router sees it, free of any transport type.
struct HttpRequest {
    HttpRequest() = default;
    HttpRequest(std::string methodName, std::string requestTarget, std::string requestBody = {})
        : method(std::move(methodName)),
          target(std::move(requestTarget)),
          body(std::move(requestBody)) {}

    std::string method;  ///< "GET", "POST", …
    std::string target;  ///< path plus query, e.g. "/healthz?verbose"
    std::string accept;  ///< the Accept header, possibly empty
    std::string body;
    Identity identity = Identity::anonymous();
    std::string contentType;    ///< the Content-Type header, possibly empty
    std::string authorization;  ///< the Authorization header ("Bearer …"), possibly empty
    /// Impersonate-User and every Impersonate-Group header (kubectl --as, --as-group).
    std::string impersonateUser;
    std::vector<std::string> impersonateGroups;
    /// Every header as received, in order (names as the client spelled them): what a handler
    /// that takes the connection over needs (Upgrade, Sec-WebSocket-*, X-Stream-Protocol-*).
    std::vector<std::pair<std::string, std::string>> headers;
    /// Set when the body was not read because it is larger than the server buffers (an image
    /// upload): its Content-Length, with `body` empty. Only for requests the Router accepts
    /// streamed bodies for (Router::acceptsStreamedBody). The body follows on the connection,
    /// so only a handler that takes the connection over reads it; any other answer closes the
    /// connection after it is sent.
    std::optional<std::uint64_t> streamedBodyLength;

    /// The value of the first header named `name` (case-insensitive), or empty.
    std::string header(std::string_view name) const;
};

/// A response body produced over time, such as a watch: the session sends the headers with
/// chunked transfer encoding, then each piece of data as it becomes available.
class ResponseStream {
public:
    virtual ~ResponseStream() = default;
    /// Called once, before any read(). `wake` may be called from any thread, at any time,
    /// whenever read() may have more to give or the stream has ended; it never blocks.
    virtual void start(std::function<void()> wake) = 0;
    /// Appends what is available now to `out` without blocking. Returns false once the stream
    /// has ended (after appending its last data).
    virtual bool read(std::string& out) = 0;
    /// The client went away, the deadline passed or the server is stopping: release
    /// resources. read() is not called again.
    virtual void cancel() = 0;
    /// When non-zero, read() is also called this often without a wake (a watch's periodic
    /// bookmarks are due by the clock, not by an event).
    virtual std::chrono::milliseconds heartbeat() const { return std::chrono::milliseconds(0); }
};

struct HttpResponse;

/// How a deferred answer is delivered: called once, from any thread, with a function that
/// makes the answer. The caller of `deferred` runs that function on a thread of its own
/// choosing (the server: the connection's strand), so that the thread that completed the work
/// (the store's commit thread) only hands it over.
using ResumeResponse = std::function<void(std::function<HttpResponse()> finish)>;

/// Takes a connection over (HttpResponse::takeover). `fd` is one end of a stream socket pair;
/// the server relays the other end to and from the client's connection, TLS or plain, until
/// both directions have ended: what the handler writes to `fd` goes to the client, what the
/// client sends (starting with any bytes that followed the request head) is read from `fd`.
/// Nothing has been written to the client yet: the handler writes the whole HTTP response
/// itself (e.g. "HTTP/1.1 101 Switching Protocols" and then the upgraded protocol, or a
/// proxied response), as kube's UpgradeAwareHandler does on a hijacked connection. Shutting
/// down its write side (or closing `fd`) ends the client's connection once the bytes are
/// out; the client's end of input arrives as end-of-file. The handler owns `fd` and must
/// return promptly (it is called on an I/O thread): do the work on threads or an I/O context
/// of its own. The connection is never reused for another request.
using ConnectionTakeover = std::function<void(int fd)>;

/// The answer to an HttpRequest.
struct HttpResponse {
    /// A whole response: `status`, `contentType`, `body`.
    static HttpResponse make(int status, std::string contentType, std::string body) {
        HttpResponse response;
        response.status = status;
        response.contentType = std::move(contentType);
        response.body = std::move(body);
        return response;
    }

    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    /// Extra headers ("Retry-After", "Warning", …).
    std::vector<std::pair<std::string, std::string>> headers;
    /// When set, the body is streamed from here instead (`body` is ignored) ...
    std::shared_ptr<ResponseStream> stream;
    /// ... and the stream is ended after this long (a watch's timeoutSeconds); 0 = never.
    std::chrono::milliseconds streamTimeout{0};
    /// When set, the answer is not ready yet (a write waiting for its fsync) and everything
    /// else is ignored: whoever answers the request calls `deferred` once, with a
    /// ResumeResponse, and answers with what `finish` returns (which may be deferred again).
    /// The server's I/O thread is free meanwhile. It must not capture the request by
    /// reference.
    std::function<void(ResumeResponse resume)> deferred;
    /// When set, the handler takes the connection over and everything else is ignored (see
    /// ConnectionTakeover): upgrades (WebSocket, SPDY) and proxied responses.
    ConnectionTakeover takeover;
};

/// The answer itself: waits on this thread for a deferred response (for callers without an
/// executor, such as the in-process client and tests); any other response as it is. Must not
/// be called on the store's commit thread.
HttpResponse awaitResponse(HttpResponse response);

/// `then(response)`, now or, for a deferred response, on the thread that finishes it.
HttpResponse thenResponse(HttpResponse response, std::function<HttpResponse(HttpResponse)> then);

/// Splits a request target into path and query: "/a/b?x=1" → {"/a/b", "x=1"}.
struct Target {
    std::string_view path;
    std::string_view query;
};
Target splitTarget(std::string_view target);

class Authenticator;
class Authorizer;
class Discovery;
class OpenApi;
class ResourceHandler;
struct RequestInfo;

/// Answers a POST to a resource that is never stored (TokenReview, SelfSubjectAccessReview,
/// serviceaccounts/token): the answer is computed from the request. `request.identity` is the
/// authenticated caller.
using CreateOnlyHandler =
    std::function<HttpResponse(const HttpRequest& request, const RequestInfo& info)>;

/// Maps requests to answers. Stateless apart from readiness, and safe to call from every
/// server thread at once.
class Router {
public:
    /// A router for health and version only (and 404 for the rest).
    Router() = default;
    /// A router that also serves discovery and resources. Both must outlive it.
    Router(const Discovery& discovery, const OpenApi& openApi, const ResourceHandler& resources)
        : m_discovery(&discovery), m_openApi(&openApi), m_resources(&resources) {}

    /// Serves /healthz, /livez, /readyz, /version to anyone. Everything else needs an
    /// authenticated identity (401 Unauthorized Status otherwise): the transport's, or else
    /// the Authenticator's for a bearer token. Then, with an Authorizer, the request must be
    /// allowed (403 Forbidden Status otherwise): discovery under /api and /apis, resources,
    /// and a 404 Status for anything unknown.
    /// Waits for a deferred answer on the calling thread (see handleAsync()).
    HttpResponse handle(const HttpRequest& request) const;
    /// As handle(), but a write's answer may be deferred (HttpResponse::deferred) until the
    /// store has made it durable: what the HTTP server calls, so that its I/O threads serve
    /// other connections meanwhile.
    HttpResponse handleAsync(const HttpRequest& request) const;

    /// Authentication of bearer tokens; without one, a token is ignored. Must outlive the
    /// router; set before serving.
    void setAuthenticator(const Authenticator& authenticator) { m_authenticator = &authenticator; }
    /// Authorisation of every authenticated request; without one, everything is allowed.
    /// Must outlive the router; set before serving.
    void setAuthorizer(const Authorizer& authorizer) { m_authorizer = &authorizer; }
    /// Serves `create` on a resource (or subresource) that is never stored; every other verb
    /// on it is 405. Register before serving.
    void addCreateOnlyResource(const std::string& group, const std::string& resource,
                               const std::string& subresource, CreateOnlyHandler handler);
    /// Serves `get` and `list` on a resource that is computed on each request and never
    /// stored (metrics.k8s.io's NodeMetrics and PodMetrics); every other verb on it is 405.
    /// Register before serving.
    void addReadOnlyResource(const std::string& group, const std::string& resource,
                             CreateOnlyHandler handler);
    /// Serves every method on `resource/subresource` (pods/exec and the other connect
    /// subresources), after authorisation as usual; `info.verb` says which verb was allowed
    /// ("get" for GET, "create" for POST). Register before serving.
    void addConnectResource(const std::string& group, const std::string& resource,
                            const std::string& subresource, CreateOnlyHandler handler);
    /// Serves authenticated requests whose path starts with `prefix` and that are not API
    /// paths (the node agent's kubelet API: "/exec/", "/containerLogs/"), after
    /// authorisation as non-resource requests. Register before serving.
    void addPathHandler(const std::string& prefix,
                        std::function<HttpResponse(const HttpRequest& request)> handler);

    /// Requests to connect subresource `resource/subresource` (nodes/proxy) may carry bodies
    /// larger than the server buffers: their handler gets them streamed (see
    /// HttpRequest::streamedBodyLength). Register before serving.
    void acceptStreamedBodies(const std::string& group, const std::string& resource,
                              const std::string& subresource);
    /// The same for a path handler's prefix ("/images/" of the node agent).
    void acceptStreamedBodies(const std::string& pathPrefix);
    /// True if a request of `method` to `target` may have its body streamed: asked by the
    /// server when a request's Content-Length is over its limit, before reading the body.
    bool acceptsStreamedBody(const std::string& method, std::string_view target) const;

    /// /readyz answers 503 until the server is ready to serve the API.
    void setReady(bool ready) { m_ready = ready; }
    bool ready() const { return m_ready; }

private:
    HttpResponse health(std::string_view name, std::string_view query, bool passing) const;
    HttpResponse route(const HttpRequest& request) const;
    /// The identity `requester` acts as through the Impersonate-* headers, once the
    /// authorizer allows each one ("impersonate" on users, groups or serviceaccounts); or
    /// the error to answer with.
    std::variant<Identity, HttpResponse> impersonate(const HttpRequest& request,
                                                     const Identity& requester) const;

    bool m_ready = false;
    const Discovery* m_discovery = nullptr;
    const OpenApi* m_openApi = nullptr;
    const ResourceHandler* m_resources = nullptr;
    const Authenticator* m_authenticator = nullptr;
    const Authorizer* m_authorizer = nullptr;
    /// "group/resource/subresource" → handler.
    std::map<std::string, CreateOnlyHandler, std::less<>> m_createOnly;
    /// "group/resource" → handler of get and list.
    std::map<std::string, CreateOnlyHandler, std::less<>> m_readOnly;
    /// "group/resource/subresource" → handler of every verb.
    std::map<std::string, CreateOnlyHandler, std::less<>> m_connect;
    std::vector<std::pair<std::string, std::function<HttpResponse(const HttpRequest&)>>>
        m_pathHandlers;
    /// Where bodies may be streamed: "group/resource/subresource" keys and path prefixes.
    std::set<std::string, std::less<>> m_streamedConnect;
    std::vector<std::string> m_streamedPrefixes;
};

}  // namespace slipway::apiserver
