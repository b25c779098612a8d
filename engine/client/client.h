// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/client/resource_ref.h"
#include "engine/client/watch.h"
#include "engine/core/result.h"

namespace slipway::client {

/// One API request as a transport sends it.
struct Request {
    Request() = default;
    Request(std::string methodName, std::string requestTarget, std::string requestBody = {},
            std::string bodyContentType = {})
        : method(std::move(methodName)),
          target(std::move(requestTarget)),
          body(std::move(requestBody)),
          contentType(std::move(bodyContentType)) {}

    std::string method;  ///< "GET", "POST", "PUT", "PATCH", "DELETE"
    std::string target;  ///< path and query: "/api/v1/namespaces/default/pods?limit=5"
    std::string body;
    std::string contentType;  ///< of the body; empty without one
    /// When set, the body is this file, streamed from disk as it is sent (an image upload);
    /// `body` is ignored. Only the HTTPS transport sends files.
    std::filesystem::path bodyFile;
    std::string accept = "application/json";
    /// Deadline for the whole exchange; zero means the transport's default. For stream(): how
    /// long the stream is expected to last (the watch's timeoutSeconds).
    std::chrono::milliseconds timeout{0};
};

/// An answer as received: any HTTP status (the typed calls turn non-2xx into Errors).
struct Response {
    int status = 0;
    std::string contentType;
    std::string body;
};

/// Options of get.
struct GetOptions {
    /// "" reads the latest state (the default and what controllers want).
    std::string resourceVersion;
};

/// Options of list (and of removeCollection's selection).
struct ListOptions {
    std::string labelSelector;  ///< "app=web,tier in (db,cache)"
    std::string fieldSelector;  ///< "metadata.name=web", "spec.nodeName=n1"
    /// Most items per page; 0 = all at once. A page with more to come carries continueToken.
    std::int64_t limit = 0;
    std::string continueToken;  ///< from the previous page
    std::string resourceVersion;
    std::string resourceVersionMatch;  ///< "Exact" or "NotOlderThan"
};

/// Options of watch.
struct WatchOptions {
    std::string labelSelector;
    std::string fieldSelector;
    /// Events after this resourceVersion (the list's, or the last event's). "" or "0": first
    /// an ADDED event for every object that exists now, then changes.
    std::string resourceVersion;
    /// Ask for BOOKMARK events, so a resumed watch starts from a recent resourceVersion.
    bool allowBookmarks = false;
    /// The server ends the watch after this long (timeoutSeconds); the watcher then watches
    /// again from its last resourceVersion. client-go's reflectors pick 5–10 minutes.
    std::chrono::seconds timeout{1800};
    /// Events buffered between transport and consumer; beyond it the transport stops reading.
    std::size_t bufferCapacity = 1024;
};

/// Options of create, update and patch.
struct WriteOptions {
    /// Validate and answer as if written, but store nothing (dryRun=All).
    bool dryRun = false;
    /// fieldManager, for managedFields bookkeeping ("slipway-deployment-controller").
    std::string fieldManager;
    /// "Strict", "Warn" or "Ignore"; empty leaves it to the server.
    std::string fieldValidation;
};

/// How a PATCH body is to be read (its Content-Type).
enum class PatchType {
    Json,            ///< RFC 6902 JSON Patch: application/json-patch+json
    Merge,           ///< RFC 7386 JSON merge patch: application/merge-patch+json
    StrategicMerge,  ///< Kubernetes strategic merge patch: application/strategic-merge-patch+json
};

/// The Content-Type of a patch type.
const char* patchContentType(PatchType type);

/// What happens to an object's dependents when it is deleted.
enum class PropagationPolicy { Unset, Orphan, Background, Foreground };

/// Options of remove and removeCollection (a meta.k8s.io/v1 DeleteOptions body).
struct DeleteOptions {
    PropagationPolicy propagationPolicy = PropagationPolicy::Unset;
    /// Seconds the object may take to go; 0 deletes at once (`--grace-period=0 --force`).
    std::optional<std::int64_t> gracePeriodSeconds;
    /// Delete only if the object still has this uid / resourceVersion (409 Conflict if not).
    std::string preconditionUid;
    std::string preconditionResourceVersion;
    bool dryRun = false;
};

/// A page of a list.
struct ObjectList {
    /// The revision the list was read at: watch from here to miss nothing.
    std::string resourceVersion;
    /// Non-empty when more items follow: pass it as ListOptions::continueToken.
    std::string continueToken;
    std::vector<nlohmann::json> items;
};

/// The one way controllers, the scheduler, the node agent, the CLI and Studio talk to an API
/// server (DESIGN.md): the same code runs against slipwayd's own router in-process and against
/// any Kubernetes API server over HTTPS.
///
/// Transports implement two primitives, send() and stream(); the typed calls are built on
/// them. Every failure is a core::Error: transport failures as Network, Timeout or
/// Unavailable, and answers of the server with the code of their Status reason (NotFound,
/// AlreadyExists, Conflict, Invalid, Gone, …) and the Status message.
///
/// Implementations are thread-safe. Calls block the calling thread (Studio makes them from
/// worker threads); they must not be made from a watch notifier.
class Client {
public:
    virtual ~Client() = default;

    // ---- transport primitives ---------------------------------------------------------------

    /// Sends `request` and returns the whole answer, whatever its HTTP status. Errors are
    /// transport failures only.
    virtual core::Result<Response> send(const Request& request) const = 0;
    /// Sends a watch request and returns once the server has answered with its headers: a
    /// Watch delivering the streamed events for a 200, the error of the Status otherwise.
    virtual core::Result<Watch> stream(const Request& request,
                                       std::size_t bufferCapacity) const = 0;

    // ---- typed calls ------------------------------------------------------------------------

    /// GET one object (`ref` names it).
    core::Result<nlohmann::json> get(const ResourceRef& ref, const GetOptions& options = {}) const;
    /// GET a collection (ref.name empty; ref.nameSpace empty lists all namespaces).
    core::Result<ObjectList> list(const ResourceRef& ref, const ListOptions& options = {}) const;
    /// Applied to each listed item as its page arrives (an informer's transform).
    using ItemTransform = std::function<nlohmann::json(nlohmann::json)>;
    /// Lists every page, `options.limit` items at a time, all read at the revision of the first
    /// page. If a page's continue token has expired (410) it lists once more in one go.
    core::Result<ObjectList> listAll(const ResourceRef& ref, ListOptions options = {},
                                     const ItemTransform& transform = {}) const;
    /// Watches a collection (or one object when ref.name is set).
    core::Result<Watch> watch(const ResourceRef& ref, const WatchOptions& options = {}) const;
    /// POSTs `object` into the collection. The namespace comes from `ref`, or else from the
    /// object's metadata.namespace. Returns the object as stored.
    core::Result<nlohmann::json> create(const ResourceRef& ref, const nlohmann::json& object,
                                        const WriteOptions& options = {}) const;
    /// PUTs `object` (name and namespace from `ref`, or else from its metadata). With
    /// metadata.resourceVersion set the write is conditional: Conflict if it is stale.
    core::Result<nlohmann::json> update(const ResourceRef& ref, const nlohmann::json& object,
                                        const WriteOptions& options = {}) const;
    /// PUTs `object`'s status through the status subresource.
    core::Result<nlohmann::json> updateStatus(const ResourceRef& ref, const nlohmann::json& object,
                                              const WriteOptions& options = {}) const;
    /// PATCHes the object (or ref.subresource of it) with `patch`, read as `type`.
    core::Result<nlohmann::json> patch(const ResourceRef& ref, PatchType type,
                                       const nlohmann::json& patch,
                                       const WriteOptions& options = {}) const;
    /// DELETEs the object. Returns the server's answer: a Success Status when it is gone, or
    /// the object itself when its deletion waits (finalizers, graceful pod deletion).
    core::Result<nlohmann::json> remove(const ResourceRef& ref,
                                        const DeleteOptions& options = {}) const;
    /// DELETEs every object of the collection that `selection` selects; returns them.
    core::Result<ObjectList> removeCollection(const ResourceRef& ref,
                                              const ListOptions& selection = {},
                                              const DeleteOptions& options = {}) const;

    /// The error of a non-2xx answer (Status reason and message), or empty for a 2xx.
    static std::optional<core::Error> failureOf(const Response& response);
};

}  // namespace slipway::client
