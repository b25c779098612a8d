// SPDX-License-Identifier: Apache-2.0
#include "engine/apiserver/resource_handler.h"

#include <algorithm>
#include <mutex>

#include <spdlog/spdlog.h>

#include "engine/api/field_validation.h"
#include "engine/api/kind_registry.h"
#include "engine/api/patch.h"
#include "engine/api/protobuf/builtin_schemas.h"
#include "engine/api/protobuf/protobuf_codec.h"
#include "engine/api/status.h"
#include "engine/api/table.h"
#include "engine/api/validation.h"
#include "engine/apiserver/admission.h"
#include "engine/apiserver/object_codec.h"
#include "engine/apiserver/storage_hooks.h"
#include "engine/apiserver/watch_stream.h"
#include "engine/core/field_selector.h"
#include "engine/core/label_selector.h"
#include "engine/store/store.h"

namespace slipway::apiserver {

using nlohmann::json;

struct ResourceHandler::Call {
    const HttpRequest& request;
    const RequestInfo& info;
    const QueryParameters& query;
    std::shared_ptr<const api::ResourceType> type;
    std::chrono::system_clock::time_point now;
    bool table = false;
    bool dryRun = false;
    /// Unknown and duplicate fields a write with fieldValidation=Warn reports.
    mutable std::vector<std::string> warnings;
};

/// A Call whose request outlives the handler: a retry resumed after a deferred commit.
struct ResourceHandler::OwnedCall {
    explicit OwnedCall(const Call& from)
        : request(from.request),
          info(from.info),
          query(from.query),
          call{request, info, query, from.type, from.now, from.table, from.dryRun, from.warnings} {}

    HttpRequest request;
    RequestInfo info;
    QueryParameters query;
    Call call;
};

namespace {

/// kube-apiserver retries a PATCH whose read-modify-write lost a race this many times.
constexpr int kPatchAttempts = 5;
/// A watch without timeoutSeconds ends after kube-apiserver's minimum request timeout.
constexpr auto kDefaultWatchTimeout = std::chrono::seconds(1800);

HttpResponse jsonResponse(int status, const json& body) {
    return HttpResponse::make(status, "application/json", body.dump());
}

json statusDetails(const api::ResourceType& type, const std::string& name) {
    json details = {{"name", name}, {"kind", type.plural}};
    if (!type.group.empty()) {
        details["group"] = type.group;
    }
    return details;
}

HttpResponse errorResponse(const core::Error& error) {
    return jsonResponse(core::httpStatus(error.code()), api::failureStatus(error));
}

HttpResponse errorResponse(const core::Error& error, const api::ResourceType& type,
                           const std::string& name) {
    return jsonResponse(core::httpStatus(error.code()),
                        api::failureStatus(error, statusDetails(type, name)));
}

core::Error notFound(const api::ResourceType& type, const std::string& name) {
    return core::Error(core::ErrorCode::NotFound,
                       type.qualifiedResource() + " \"" + name + "\" not found");
}

core::Error conflict(const api::ResourceType& type, const std::string& name) {
    return core::Error(core::ErrorCode::Conflict,
                       "Operation cannot be fulfilled on " + type.qualifiedResource() + " \"" +
                           name +
                           "\": the object has been modified; please apply your changes to the "
                           "latest version and try again");
}

/// The answer to a write the store refused: kube's Conflict message for a stale
/// precondition, the store's error otherwise.
HttpResponse writeError(const core::Error& error, const api::ResourceType& type,
                        const std::string& name) {
    return error.code() == core::ErrorCode::Conflict
               ? errorResponse(conflict(type, name), type, name)
               : errorResponse(error);
}

bool wantsTable(const std::string& accept) {
    return accept.find("as=Table") != std::string::npos;
}

/// Fields a fieldSelector may name, per kind, as kube-apiserver registers them.
bool fieldSupported(const api::ResourceType& type, std::string_view field) {
    if (field == "metadata.name" || field == "metadata.namespace") {
        return true;
    }
    static const std::vector<std::pair<std::string_view, std::vector<std::string_view>>> kFields = {
        {"Pod",
         {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
          "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
          "status.nominatedNodeName"}},
        {"Event",
         {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
          "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
          "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"}},
        {"Node", {"spec.unschedulable"}},
        {"Secret", {"type"}},
        {"Namespace", {"status.phase"}},
        {"Job", {"status.successful"}},
        {"ReplicaSet", {"status.replicas"}},
    };
    for (const auto& [kind, fields] : kFields) {
        if (kind == type.kind) {
            return std::find(fields.begin(), fields.end(), field) != fields.end();
        }
    }
    return false;
}

struct Selectors {
    core::LabelSelector labels;
    core::FieldSelector fields;
    bool matches(const json& object) const {
        static const json kEmpty = json::object();
        const auto& metadata = object.contains("metadata") ? object["metadata"] : kEmpty;
        const auto& objectLabels = metadata.contains("labels") ? metadata["labels"] : kEmpty;
        return (labels.empty() || labels.matches(objectLabels)) &&
               (fields.empty() || fields.matches(object));
    }
    bool empty() const { return labels.empty() && fields.empty(); }
};

core::Result<Selectors> parseSelectors(const api::ResourceType& type,
                                       const QueryParameters& query) {
    Selectors selectors;
    auto labels = core::LabelSelector::parse(query.get("labelSelector"));
    if (!labels) {
        return labels.error();
    }
    selectors.labels = std::move(*labels);
    auto fields = core::FieldSelector::parse(query.get("fieldSelector"));
    if (!fields) {
        return fields.error();
    }
    if (auto supported = fields->checkSupported(
            [&type](std::string_view field) { return fieldSupported(type, field); });
        !supported) {
        return supported.error();
    }
    selectors.fields = std::move(*fields);
    return selectors;
}

/// Everything of an object except metadata and status: what a generation counts.
json specPart(const json& object) {
    json part = object;
    part.erase("metadata");
    part.erase("status");
    part.erase("apiVersion");
    part.erase("kind");
    return part;
}

json& metadataOf(json& object) {
    if (!object.contains("metadata") || !object["metadata"].is_object()) {
        object["metadata"] = json::object();
    }
    return object["metadata"];
}

std::string stringField(const json& object, const char* field) {
    const auto it = object.find(field);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Pods start Pending with their QoS class (pkg/apis/core/helper/qos): BestEffort without
/// requests or limits, Guaranteed when every container's limits equal its requests for cpu
/// and memory, Burstable otherwise.
json initialPodStatus(const json& pod) {
    bool any = false;
    bool guaranteed = true;
    const auto containers = pod.value("/spec/containers"_json_pointer, json::array());
    for (const auto& container : containers) {
        const auto requests = container.value("/resources/requests"_json_pointer, json::object());
        const auto limits = container.value("/resources/limits"_json_pointer, json::object());
        any = any || !requests.empty() || !limits.empty();
        for (const char* resource : {"cpu", "memory"}) {
            if (!limits.contains(resource) ||
                (requests.contains(resource) && requests[resource] != limits[resource])) {
                guaranteed = false;
            }
        }
    }
    const char* qos = !any ? "BestEffort" : (guaranteed ? "Guaranteed" : "Burstable");
    return {{"phase", "Pending"}, {"qosClass", qos}};
}

/// A request's object: JSON, or Kubernetes protobuf as kubectl's typed clients send it
/// (every `kubectl create <generator>`), decoded to the JSON the client would have sent.
core::Result<json> parseRequestObject(const HttpRequest& request) {
    if (api::isProtobufContentType(request.contentType)) {
        return api::decodeProtobufObject(request.body);
    }
    return parseObjectBody(request.body);
}

/// The field validator of a write, as its fieldValidation parameter asks, with the built-in
/// schema of what it sends (a Scale for the scale subresource), which also refuses values of
/// the wrong type; kinds without a built-in schema (custom resources) get their duplicate
/// fields checked only.
core::Result<api::FieldValidator> fieldValidator(const QueryParameters& query,
                                                 const api::ResourceType& type,
                                                 const RequestInfo& info) {
    const char* options = info.verb == "create"   ? "CreateOptions"
                          : info.verb == "update" ? "UpdateOptions"
                                                  : "PatchOptions";
    auto directive = api::parseFieldValidation(query.get("fieldValidation"), options);
    if (!directive) {
        return directive.error();
    }
    auto schemas = api::BuiltinSchemas::instance();
    if (!schemas) {
        return schemas.error();
    }
    const bool scale = info.subresource == "scale";
    const std::string_view name =
        scale ? (*schemas)->kindSchemaName("autoscaling", "v1", "Scale")
              : (*schemas)->kindSchemaName(type.group, type.version, type.kind);
    const json* schema = scale ? (*schemas)->kindSchema("autoscaling", "v1", "Scale")
                               : (*schemas)->kindSchema(type.group, type.version, type.kind);
    return api::FieldValidator(*directive, schema, (*schemas)->components(), name);
}

/// Checks the fields of a create or update body as fieldValidation asks; keeps Warn's warnings.
core::Result<void> checkBodyFields(const QueryParameters& query, const api::ResourceType& type,
                                   const RequestInfo& info, const HttpRequest& request,
                                   json& object, std::vector<std::string>& warnings) {
    auto fields = fieldValidator(query, type, info);
    if (!fields) {
        return fields.error();
    }
    // A protobuf body cannot repeat a field; its unknown fields the decoder refused already.
    const bool isJson = !api::isProtobufContentType(request.contentType);
    if (auto checked = fields->checkObject(isJson ? request.body : std::string(), object);
        !checked) {
        return checked;
    }
    warnings = fields->warnings();
    return core::success();
}

/// A write's answer with a `Warning` header per field problem fieldValidation=Warn found.
HttpResponse withWarnings(HttpResponse response, const std::vector<std::string>& warnings) {
    if (warnings.empty()) {
        return response;
    }
    return thenResponse(std::move(response), [warnings](HttpResponse answer) {
        for (const auto& warning : warnings) {
            answer.headers.emplace_back("Warning", api::warningHeaderValue(warning));
        }
        return answer;
    });
}

/// The autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet.
json scaleOf(const json& object) {
    const json& metadata = object.at("metadata");
    json scaleMetadata = json::object();
    for (const char* field : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        if (metadata.contains(field)) {
            scaleMetadata[field] = metadata[field];
        }
    }
    std::string selector;
    if (const auto* spec = object.contains("spec") ? &object["spec"] : nullptr;
        spec != nullptr && spec->contains("selector")) {
        if (auto parsed = core::LabelSelector::fromJson((*spec)["selector"])) {
            selector = parsed->toString();
        }
    }
    return {
        {"apiVersion", "autoscaling/v1"},
        {"kind", "Scale"},
        {"metadata", scaleMetadata},
        {"spec", {{"replicas", object.value("/spec/replicas"_json_pointer, 1)}}},
        {"status",
         {{"replicas", object.value("/status/replicas"_json_pointer, 0)}, {"selector", selector}}}};
}

/// The Scale of an object of `type`: its own mapping (custom resources) or the workloads' one.
json scaleOf(const api::ResourceType& type, const json& object) {
    return type.toScale ? type.toScale(object) : scaleOf(object);
}

}  // namespace

/// What a DELETE asked for: its body (DeleteOptions) and query parameters together.
struct DeleteOptions {
    std::string propagationPolicy;
    std::optional<long long> gracePeriodSeconds;
    std::string preconditionUid;
    std::string preconditionResourceVersion;
    bool dryRun = false;
};

namespace {

/// Reads a meta.k8s.io/v1 DeleteOptions object (a DELETE body, or an Eviction's
/// deleteOptions) over `options`.
core::Result<void> readDeleteOptions(const json& body, DeleteOptions& options) {
    if (const auto it = body.find("propagationPolicy"); it != body.end() && it->is_string()) {
        options.propagationPolicy = it->get<std::string>();
    }
    if (const auto it = body.find("gracePeriodSeconds");
        it != body.end() && it->is_number_integer()) {
        options.gracePeriodSeconds = it->get<long long>();
    }
    if (const auto it = body.find("preconditions"); it != body.end() && it->is_object()) {
        options.preconditionUid = stringField(*it, "uid");
        options.preconditionResourceVersion = stringField(*it, "resourceVersion");
    }
    if (const auto it = body.find("dryRun"); it != body.end() && it->is_array()) {
        options.dryRun = std::find(it->begin(), it->end(), json("All")) != it->end();
    }
    if (!options.propagationPolicy.empty() && options.propagationPolicy != "Orphan" &&
        options.propagationPolicy != "Background" && options.propagationPolicy != "Foreground") {
        return core::Error(core::ErrorCode::Invalid,
                           "propagationPolicy: Unsupported value: \"" + options.propagationPolicy +
                               "\": supported values: \"Foreground\", \"Background\", "
                               "\"Orphan\"");
    }
    return core::success();
}

core::Result<DeleteOptions> parseDeleteOptions(const HttpRequest& request,
                                               const QueryParameters& query) {
    DeleteOptions options;
    options.propagationPolicy = query.get("propagationPolicy");
    auto grace = query.integer("gracePeriodSeconds");
    if (!grace) {
        return grace.error();
    }
    options.gracePeriodSeconds = *grace;
    options.dryRun = query.get("dryRun") == "All";
    json body = json::object();
    if (!request.body.empty()) {
        auto parsed = parseRequestObject(request);
        if (!parsed) {
            return parsed.error();
        }
        body = std::move(*parsed);
    }
    if (auto read = readDeleteOptions(body, options); !read) {
        return read.error();
    }
    return options;
}

void addFinalizer(json& metadata, const std::string& finalizer) {
    json& finalizers = metadata["finalizers"];
    if (!finalizers.is_array()) {
        finalizers = json::array();
    }
    if (std::find(finalizers.begin(), finalizers.end(), json(finalizer)) == finalizers.end()) {
        finalizers.push_back(finalizer);
    }
}

/// True while something must happen before an object being deleted may go: finalizers in its
/// metadata, or for a namespace those of its spec (the namespace controller empties it first).
bool blocksDeletion(const api::ResourceType& type, const json& object) {
    const auto nonEmpty = [&object](const json::json_pointer& pointer) {
        const auto list = object.value(pointer, json::array());
        return list.is_array() && !list.empty();
    };
    return nonEmpty("/metadata/finalizers"_json_pointer) ||
           (type.group.empty() && type.kind == "Namespace" &&
            nonEmpty("/spec/finalizers"_json_pointer));
}

}  // namespace

ResourceHandler::ResourceHandler(store::Store& store, const api::KindRegistry& registry,
                                 Clock clock)
    : m_store(store), m_registry(registry), m_clock(std::move(clock)) {
    if (!m_clock) {
        m_clock = [] { return std::chrono::system_clock::now(); };
    }
}

HttpResponse ResourceHandler::handle(const HttpRequest& request, const RequestInfo& info,
                                     const QueryParameters& query) const {
    auto type = m_registry.find(info.group, info.version, info.resource);
    if (!type) {
        return errorResponse(core::Error(core::ErrorCode::NotFound,
                                         "the server could not find the requested resource"));
    }
    static const std::vector<std::string_view> kServedSubresources = {"status", "scale", "binding",
                                                                      "eviction", "finalize"};
    if (!info.subresource.empty() &&
        std::find(kServedSubresources.begin(), kServedSubresources.end(), info.subresource) ==
            kServedSubresources.end()) {
        return errorResponse(core::Error(core::ErrorCode::NotFound,
                                         "the server could not find the requested resource"));
    }
    if (!info.subresource.empty() && !type->hasSubresource(info.subresource)) {
        return errorResponse(core::Error(core::ErrorCode::NotFound,
                                         "the server could not find the requested resource"));
    }
    if (!type->namespaced && !info.nameSpace.empty()) {
        return errorResponse(core::Error(core::ErrorCode::NotFound,
                                         "the server could not find the requested resource"));
    }
    const std::string baseVerb = info.verb == "watch" ? "watch" : info.verb;
    if (info.subresource.empty() && !type->allows(baseVerb)) {
        return errorResponse(
            core::Error(core::ErrorCode::MethodNotAllowed,
                        "the server does not allow this method on the requested resource"));
    }

    Call call{request,
              info,
              query,
              type,
              m_clock(),
              wantsTable(request.accept),
              query.get("dryRun") == "All",
              {}};
    if (query.has("dryRun") && !call.dryRun) {
        return errorResponse(core::Error(core::ErrorCode::BadRequest,
                                         "dryRun: Unsupported value: \"" + query.get("dryRun") +
                                             "\": supported values: \"All\""));
    }
    if (info.verb == "get") {
        return get(call);
    }
    if (info.verb == "list") {
        return list(call);
    }
    if (info.verb == "watch") {
        return watch(call);
    }
    if (info.verb == "create" && info.subresource == "binding") {
        return bind(call);
    }
    if (info.verb == "create" && info.subresource == "eviction") {
        return evict(call);
    }
    if (info.subresource == "finalize" && info.verb != "update") {
        return errorResponse(
            core::Error(core::ErrorCode::MethodNotAllowed,
                        "the server does not allow this method on the requested resource"));
    }
    if (info.verb == "create") {
        if (!info.name.empty() || !info.subresource.empty()) {
            return errorResponse(
                core::Error(core::ErrorCode::MethodNotAllowed,
                            "the server does not allow this method on the requested resource"));
        }
        return withWarnings(create(call), call.warnings);
    }
    if (info.verb == "update") {
        return withWarnings(update(call), call.warnings);
    }
    if (info.verb == "patch") {
        return withWarnings(patch(call), call.warnings);
    }
    if (info.verb == "delete") {
        return remove(call);
    }
    if (info.verb == "deletecollection") {
        return removeCollection(call);
    }
    return errorResponse(core::Error(core::ErrorCode::MethodNotAllowed,
                                     "the server does not allow this method on the requested "
                                     "resource"));
}

HttpResponse ResourceHandler::get(const Call& call) const {
    const auto& type = *call.type;
    auto kv = m_store.get(storageKey(type, call.info.nameSpace, call.info.name));
    if (!kv) {
        return errorResponse(notFound(type, call.info.name), type, call.info.name);
    }
    if (call.info.subresource.empty() && !call.table && !type.fromStorage) {
        // Served as stored, like a list's items: spliced, never parsed.
        std::string body;
        body.reserve(kv->value.size() + 48);
        if (appendWithResourceVersion(body, *kv)) {
            return HttpResponse::make(200, "application/json", std::move(body));
        }
    }
    auto object = decodeObject(*kv, type);
    if (!object) {
        return errorResponse(object.error());
    }
    if (call.info.subresource == "scale") {
        return jsonResponse(200, scaleOf(type, *object));
    }
    if (call.table) {
        return jsonResponse(200, api::toTable(type, {*object}, call.now,
                                              call.query.get("includeObject") == "Object",
                                              std::to_string(kv->modRevision), {}, true));
    }
    return jsonResponse(200, *object);
}

HttpResponse ResourceHandler::list(const Call& call) const {
    const auto& type = *call.type;
    auto selectors = parseSelectors(type, call.query);
    if (!selectors) {
        return errorResponse(selectors.error());
    }
    auto limit = call.query.integer("limit");
    if (!limit) {
        return errorResponse(limit.error());
    }
    store::ListOptions options;
    options.prefix = storagePrefix(type, call.info.nameSpace);
    options.limit = limit->value_or(0) > 0 ? static_cast<std::size_t>(**limit) : 0;
    options.continueToken = call.query.get("continue");
    // resourceVersion on a list: "" and "0" mean "any recent state" (the cache's current one);
    // an exact revision is honoured only with resourceVersionMatch=Exact.
    const std::string resourceVersion = call.query.get("resourceVersion");
    if (call.query.get("resourceVersionMatch") == "Exact" && !resourceVersion.empty()) {
        options.revision = std::stoll(resourceVersion);
    }
    if (!selectors->empty()) {
        const Selectors filter = *selectors;
        options.filter = [filter](const store::KeyValue& kv) {
            auto object = json::parse(kv.value, nullptr, false);
            return !object.is_discarded() && filter.matches(object);
        };
    }
    auto page = m_store.listShared(options);
    if (!page) {
        if (page.error().code() == core::ErrorCode::Gone) {
            return errorResponse(core::Error(
                core::ErrorCode::Gone,
                "The provided continue parameter is too old to display a consistent list "
                "result. You can start a new list without the continue parameter."));
        }
        return errorResponse(page.error());
    }
    const std::string revision = std::to_string(page->revision);
    if (!call.table && !type.fromStorage) {
        // The common case, and the large one (10,000 pods): the stored bytes spliced into the
        // answer, never parsed.
        std::string body = R"({"apiVersion":)" + json(type.apiVersion()).dump() + R"(,"items":[)";
        std::size_t bytes = 0;
        for (const auto& kv : page->items) {
            bytes += kv->value.size() + 48;
        }
        body.reserve(body.size() + bytes + 256);
        bool first = true;
        for (const auto& kv : page->items) {
            if (!first) {
                body += ',';
            }
            first = false;
            if (!appendWithResourceVersion(body, *kv)) {
                auto object = decodeObject(*kv, type);
                if (!object) {
                    return errorResponse(object.error());
                }
                body += object->dump();
            }
        }
        body += R"(],"kind":)" + json(type.listKind()).dump() + R"(,"metadata":{)";
        if (!page->continueToken.empty()) {
            body += R"("continue":)" + json(page->continueToken).dump() + ",";
        }
        body += R"("resourceVersion":")" + revision + R"("}})";
        return HttpResponse::make(200, "application/json", std::move(body));
    }
    std::vector<json> items;
    items.reserve(page->items.size());
    for (const auto& kv : page->items) {
        auto object = decodeObject(*kv, type);
        if (!object) {
            return errorResponse(object.error());
        }
        items.push_back(std::move(*object));
    }
    if (call.table) {
        return jsonResponse(
            200, api::toTable(type, items, call.now, call.query.get("includeObject") == "Object",
                              revision, page->continueToken, true));
    }
    json body = {{"kind", type.listKind()},
                 {"apiVersion", type.apiVersion()},
                 {"metadata", {{"resourceVersion", revision}}},
                 {"items", std::move(items)}};
    if (!page->continueToken.empty()) {
        body["metadata"]["continue"] = page->continueToken;
    }
    return jsonResponse(200, body);
}

HttpResponse ResourceHandler::watch(const Call& call) const {
    const auto& type = *call.type;
    auto selectors = parseSelectors(type, call.query);
    if (!selectors) {
        return errorResponse(selectors.error());
    }
    auto timeout = call.query.integer("timeoutSeconds");
    if (!timeout) {
        return errorResponse(timeout.error());
    }
    WatchStreamOptions options;
    options.type = call.type;
    options.prefix = call.info.name.empty() ? storagePrefix(type, call.info.nameSpace)
                                            : storageKey(type, call.info.nameSpace, call.info.name);
    options.exactKey = !call.info.name.empty();
    options.table = call.table;
    options.includeObject = call.query.get("includeObject") == "Object";
    options.bookmarks = call.query.flag("allowWatchBookmarks");
    const std::string resourceVersion = call.query.get("resourceVersion");
    options.sendInitialState = resourceVersion.empty() || resourceVersion == "0";
    if (!options.sendInitialState) {
        try {
            options.fromRevision = std::stoll(resourceVersion);
        } catch (const std::exception&) {
            return errorResponse(
                core::Error(core::ErrorCode::BadRequest,
                            "invalid resource version \"" + resourceVersion + "\""));
        }
    }
    if (!selectors->empty()) {
        // Left unset without selectors, so that events are spliced rather than parsed.
        const Selectors filter = *selectors;
        options.matches = [filter](const json& object) { return filter.matches(object); };
    }
    options.clock = m_clock;

    auto stream = WatchStream::open(m_store, std::move(options));
    if (!stream) {
        return errorResponse(stream.error());
    }
    HttpResponse response = HttpResponse::make(200, "application/json", {});
    response.stream = std::move(*stream);
    response.streamTimeout = timeout->has_value() && **timeout > 0
                                 ? std::chrono::milliseconds(std::chrono::seconds(**timeout))
                                 : std::chrono::milliseconds(kDefaultWatchTimeout);
    return response;
}

HttpResponse ResourceHandler::create(const Call& call) const {
    const auto& type = *call.type;
    auto body = parseRequestObject(call.request);
    if (!body) {
        return errorResponse(body.error());
    }
    if (auto checked =
            checkBodyFields(call.query, *call.type, call.info, call.request, *body, call.warnings);
        !checked) {
        return errorResponse(checked.error());
    }
    json object = std::move(*body);
    const std::string apiVersion = stringField(object, "apiVersion");
    const std::string kind = stringField(object, "kind");
    if ((!apiVersion.empty() && apiVersion != type.apiVersion()) ||
        (!kind.empty() && kind != type.kind)) {
        return errorResponse(core::Error(
            core::ErrorCode::BadRequest,
            "the API version in the data (" + apiVersion +
                ") does not match the expected API "
                "version (" +
                type.apiVersion() + ")" +
                (kind != type.kind ? " or kind (" + kind + " is not " + type.kind + ")" : "")));
    }
    object["apiVersion"] = type.apiVersion();
    object["kind"] = type.kind;
    json& metadata = metadataOf(object);

    if (type.namespaced) {
        const std::string bodyNamespace = stringField(metadata, "namespace");
        if (!bodyNamespace.empty() && bodyNamespace != call.info.nameSpace) {
            return errorResponse(core::Error(core::ErrorCode::BadRequest,
                                             "the namespace of the provided object does not "
                                             "match the namespace sent on the request"));
        }
        if (call.info.nameSpace.empty()) {
            return errorResponse(core::Error(core::ErrorCode::BadRequest,
                                             "the namespace of the object is required"));
        }
        metadata["namespace"] = call.info.nameSpace;
        auto nameSpace = m_store.get("/registry/core/namespaces/" + call.info.nameSpace);
        if (!nameSpace) {
            return errorResponse(
                core::Error(core::ErrorCode::NotFound,
                            "namespaces \"" + call.info.nameSpace + "\" not found"),
                *m_registry.find("", "v1", "namespaces"), call.info.nameSpace);
        }
        auto nameSpaceObject = decodeObject(*nameSpace);
        if (nameSpaceObject &&
            nameSpaceObject->contains("/metadata/deletionTimestamp"_json_pointer)) {
            return errorResponse(
                core::Error(core::ErrorCode::Forbidden,
                            type.qualifiedResource() + " \"" + stringField(metadata, "name") +
                                "\" is forbidden: unable to create new content in namespace " +
                                call.info.nameSpace + " because it is being terminated"));
        }
    } else {
        metadata.erase("namespace");
    }

    if (stringField(metadata, "name").empty() && !stringField(metadata, "generateName").empty()) {
        metadata["name"] = stringField(metadata, "generateName") + randomNameSuffix();
    }
    const std::string name = stringField(metadata, "name");
    metadata["uid"] = newUid();
    metadata["creationTimestamp"] = rfc3339(call.now);
    metadata.erase("resourceVersion");
    metadata.erase("deletionTimestamp");
    metadata.erase("deletionGracePeriodSeconds");
    metadata.erase("managedFields");
    if (type.tracksGeneration) {
        metadata["generation"] = 1;
    } else {
        metadata.erase("generation");
    }
    if (type.hasSubresource("status")) {
        // Status belongs to controllers: a client's create starts it empty (pods Pending).
        object["status"] =
            type.group.empty() && type.kind == "Pod" ? initialPodStatus(object) : json::object();
    }
    if (type.defaulter) {
        type.defaulter(object);
    }
    if (m_createAdmission != nullptr) {
        m_createAdmission->mutate(type, object);
    }
    if (m_admission) {
        if (auto admitted = m_admission(call.request.identity, call.info, object, nullptr);
            !admitted) {
            return errorResponse(admitted.error(), type, name);
        }
    }
    api::FieldCauses causes = api::validateObjectMeta(object, type);
    if (type.validator) {
        auto more = type.validator(object, nullptr);
        causes.insert(causes.end(), more.begin(), more.end());
    }
    if (!causes.empty()) {
        return jsonResponse(422, api::invalidStatus(type, name, causes));
    }
    if (m_createAdmission != nullptr) {
        if (auto admitted = m_createAdmission->validate(type, object); !admitted) {
            return errorResponse(admitted.error(), type, name);
        }
    }
    StorageHooks::Finish finish;
    if (m_hooks != nullptr) {
        finish = m_hooks->beginCreate(type, object, causes);
        if (!causes.empty()) {
            return jsonResponse(422, api::invalidStatus(type, name, causes));
        }
    }
    if (call.dryRun) {
        if (finish) {
            finish(false);
        }
        return jsonResponse(201, object);
    }
    return submitWrite(
        store::Mutation{store::Mutation::Kind::Create, storageKey(type, call.info.nameSpace, name),
                        encodeObject(object, type), 0},
        [typeOf = call.type, name](core::Result<store::KeyValue> created) {
            if (!created) {
                if (created.error().code() == core::ErrorCode::AlreadyExists) {
                    return errorResponse(core::Error(core::ErrorCode::AlreadyExists,
                                                     typeOf->qualifiedResource() + " \"" + name +
                                                         "\" already exists"),
                                         *typeOf, name);
                }
                return errorResponse(created.error());
            }
            auto stored = decodeObject(*created, *typeOf);
            return stored ? jsonResponse(201, *stored) : errorResponse(stored.error());
        },
        std::move(finish));
}

namespace {

/// Carries an update through kube-apiserver's generic steps: keep what a client may not
/// change, split status from the rest, bump the generation on spec changes, default, validate.
/// `desired` is the client's object (for the status subresource, only its status counts).
core::Result<json> prepareUpdate(const api::ResourceType& type, const json& current, json desired,
                                 const std::string& subresource, api::FieldCauses& causes) {
    if (subresource == "status") {
        json next = current;
        if (desired.contains("status")) {
            next["status"] = desired["status"];
        }
        desired = std::move(next);
    } else if (type.hasSubresource("status")) {
        if (current.contains("status")) {
            desired["status"] = current["status"];
        } else {
            desired.erase("status");
        }
    }
    desired["apiVersion"] = type.apiVersion();
    desired["kind"] = type.kind;
    json& metadata = metadataOf(desired);
    const json& before = current.at("metadata");
    for (const char* field : {"uid", "creationTimestamp", "namespace", "deletionTimestamp",
                              "deletionGracePeriodSeconds", "generation"}) {
        if (before.contains(field)) {
            metadata[field] = before[field];
        } else {
            metadata.erase(field);
        }
    }
    metadata.erase("managedFields");
    if (stringField(metadata, "name") != stringField(before, "name")) {
        return core::Error(core::ErrorCode::BadRequest,
                           "the name of the object (" + stringField(metadata, "name") +
                               ") does not match the name on the URL (" +
                               stringField(before, "name") + ")");
    }
    if (type.tracksGeneration && subresource.empty() && specPart(desired) != specPart(current)) {
        metadata["generation"] = before.value("generation", 0) + 1;
    }
    if (subresource.empty() && type.defaulter) {
        type.defaulter(desired);
    }
    causes = api::validateObjectMeta(desired, type);
    if (type.validator) {
        auto more = type.validator(desired, &current);
        causes.insert(causes.end(), more.begin(), more.end());
    }
    return desired;
}

/// The client's object for an update of `subresource`, given the current object: the body
/// itself, or for the scale subresource the current object with the Scale's replicas.
core::Result<json> desiredFromScale(const api::ResourceType& type, const json& current,
                                    const json& scale) {
    const auto replicas = scale.find("spec") != scale.end() && scale["spec"].contains("replicas")
                              ? scale["spec"]["replicas"]
                              : json();
    if (!replicas.is_number_integer() || replicas.get<long long>() < 0) {
        return core::Error(core::ErrorCode::Invalid,
                           "spec.replicas: Invalid value: must be greater than or equal to 0");
    }
    if (type.fromScale) {
        return type.fromScale(current, replicas.get<std::int64_t>());
    }
    json desired = current;
    desired["spec"]["replicas"] = replicas;
    return desired;
}

}  // namespace

core::Result<ResourceHandler::Current> ResourceHandler::readCurrent(const Call& call) const {
    auto kv = m_store.get(storageKey(*call.type, call.info.nameSpace, call.info.name));
    if (!kv) {
        return notFound(*call.type, call.info.name);
    }
    auto object = decodeObject(*kv, *call.type);
    if (!object) {
        return object.error();
    }
    return Current{std::move(*kv), std::move(*object)};
}

HttpResponse ResourceHandler::update(const Call& call) const {
    auto body = parseRequestObject(call.request);
    if (!body) {
        return errorResponse(body.error());
    }
    if (auto checked =
            checkBodyFields(call.query, *call.type, call.info, call.request, *body, call.warnings);
        !checked) {
        return errorResponse(checked.error());
    }
    const std::string precondition =
        body->value("/metadata/resourceVersion"_json_pointer, std::string());
    if (call.info.subresource != "scale") {
        const std::string bodyName = body->value("/metadata/name"_json_pointer, std::string());
        if (bodyName != call.info.name) {
            return errorResponse(core::Error(core::ErrorCode::BadRequest,
                                             "the name of the object (" + bodyName +
                                                 ") does not match the name on the URL (" +
                                                 call.info.name + ")"));
        }
    }
    std::int64_t expected = 0;
    if (!precondition.empty()) {
        try {
            expected = std::stoll(precondition);
        } catch (const std::exception&) {
            return errorResponse(core::Error(core::ErrorCode::BadRequest,
                                             "invalid resourceVersion \"" + precondition + "\""));
        }
    }
    // Without a resourceVersion the update is unconditional: retry a lost race ourselves.
    return updateAttempt(call, std::make_shared<const json>(std::move(*body)), expected, 0);
}

HttpResponse ResourceHandler::updateAttempt(const Call& call, std::shared_ptr<const json> body,
                                            std::int64_t expected, int attempt) const {
    const auto& type = *call.type;
    auto read = readCurrent(call);
    if (!read) {
        return errorResponse(read.error(), type, call.info.name);
    }
    const store::KeyValue& kv = read->kv;
    json& current = read->object;
    if (expected != 0 && expected != kv.modRevision) {
        return errorResponse(conflict(type, call.info.name), type, call.info.name);
    }
    json desired = *body;
    if (call.info.subresource == "finalize") {
        // Only spec.finalizers changes through finalize; the rest of the body is ignored.
        desired = current;
        desired["spec"]["finalizers"] = body->value("/spec/finalizers"_json_pointer, json::array());
    } else if (call.info.subresource == "scale") {
        auto fromScale = desiredFromScale(type, current, *body);
        if (!fromScale) {
            return errorResponse(fromScale.error(), type, call.info.name);
        }
        desired = std::move(*fromScale);
    }
    auto result = commit(call, kv, current, std::move(desired), attempt > 0);
    if (expected != 0 || attempt + 1 >= kPatchAttempts) {
        return result;
    }
    return retryOnConflict(call, std::move(result), [this, body, attempt](const Call& again) {
        return updateAttempt(again, body, 0, attempt + 1);
    });
}

HttpResponse ResourceHandler::retryOnConflict(
    const Call& call, HttpResponse result,
    const std::function<HttpResponse(const Call&)>& retry) const {
    if (!result.deferred) {
        return result.status == 409 ? retry(call) : result;
    }
    // The retry runs where the answer is resumed, after the request's own call is gone.
    return thenResponse(std::move(result),
                        [owned = std::make_shared<OwnedCall>(call), retry](HttpResponse answer) {
                            return answer.status == 409 ? retry(owned->call) : answer;
                        });
}

HttpResponse ResourceHandler::patch(const Call& call) const {
    const auto& type = *call.type;
    auto patchType =
        api::patchTypeFromContentType(call.request.contentType, type.patchMetadata != nullptr);
    if (!patchType) {
        return errorResponse(patchType.error());
    }
    // Queued behind other PATCHes of the object, the request must own its parts.
    const std::string key = storageKey(type, call.info.nameSpace, call.info.name);
    auto owned = std::make_shared<OwnedCall>(call);
    return m_patchLanes.run(key, [this, owned, patchType = *patchType] {
        auto answer = patchAttempt(owned->call, patchType, 0);
        return withWarnings(std::move(answer), owned->call.warnings);
    });
}

HttpResponse ResourceHandler::patchAttempt(const Call& call, api::PatchType patchType,
                                           int attempt) const {
    const auto& type = *call.type;
    auto read = readCurrent(call);
    if (!read) {
        return errorResponse(read.error(), type, call.info.name);
    }
    const store::KeyValue& kv = read->kv;
    json& current = read->object;
    const json base = call.info.subresource == "scale" ? scaleOf(type, current) : current;
    auto patched =
        api::applyPatch(patchType, base, call.request.body,
                        call.info.subresource == "scale" ? nullptr : type.patchMetadata.get());
    if (!patched) {
        return errorResponse(patched.error());
    }
    auto fields = fieldValidator(call.query, type, call.info);
    if (!fields) {
        return errorResponse(fields.error());
    }
    if (auto checked = fields->checkPatch(call.request.body, patchType, *patched); !checked) {
        return errorResponse(checked.error());
    }
    call.warnings = fields->warnings();
    // A resourceVersion the patch itself sets is a precondition, as kube-apiserver treats it.
    // The one the patched object inherits from the current object is not: such a patch is
    // unconditional and is re-applied to the newer object when it loses a race.
    const std::string inherited = base.value("/metadata/resourceVersion"_json_pointer, "");
    std::string precondition =
        patched->value("/metadata/resourceVersion"_json_pointer, std::string());
    if (precondition == inherited &&
        call.request.body.find("\"resourceVersion\"") == std::string::npos) {
        precondition.clear();
    }
    if (!precondition.empty() && precondition != std::to_string(kv.modRevision)) {
        return errorResponse(conflict(type, call.info.name), type, call.info.name);
    }
    json desired = std::move(*patched);
    if (call.info.subresource == "scale") {
        auto fromScale = desiredFromScale(type, current, desired);
        if (!fromScale) {
            return errorResponse(fromScale.error(), type, call.info.name);
        }
        desired = std::move(*fromScale);
    }
    auto result = commit(call, kv, current, std::move(desired), attempt > 0);
    if (!precondition.empty() || attempt + 1 >= kPatchAttempts) {
        return result;
    }
    return retryOnConflict(call, std::move(result), [this, patchType, attempt](const Call& again) {
        return patchAttempt(again, patchType, attempt + 1);
    });
}

HttpResponse ResourceHandler::commit(const Call& call, const store::KeyValue& kv,
                                     const json& current, json desired, bool retry) const {
    const auto& type = *call.type;
    const std::string subresource = call.info.subresource == "scale" ? "" : call.info.subresource;
    api::FieldCauses causes;
    auto next = prepareUpdate(type, current, std::move(desired), subresource, causes);
    if (!next) {
        return errorResponse(next.error());
    }
    if (m_admission) {
        if (auto admitted = m_admission(call.request.identity, call.info, *next, &current);
            !admitted) {
            return errorResponse(admitted.error(), type, call.info.name);
        }
    }
    if (!causes.empty()) {
        return jsonResponse(422, api::invalidStatus(type, call.info.name, causes));
    }
    const auto respond = [&](const json& object) {
        return jsonResponse(200, call.info.subresource == "scale" ? scaleOf(type, object) : object);
    };
    // The last finalizer of an object being deleted is gone: the update is its deletion.
    if (next->contains("/metadata/deletionTimestamp"_json_pointer) &&
        !blocksDeletion(type, *next)) {
        if (call.dryRun) {
            return respond(*next);
        }
        const bool scale = call.info.subresource == "scale";
        return submitWrite(
            store::Mutation{store::Mutation::Kind::Delete, kv.key, {}, kv.modRevision},
            [typeOf = call.type, name = call.info.name, scale,
             object = *next](core::Result<store::KeyValue> removed) {
                if (!removed) {
                    return writeError(removed.error(), *typeOf, name);
                }
                return jsonResponse(200, scale ? scaleOf(*typeOf, object) : object);
            },
            afterDelete(call.type, *next));
    }
    StorageHooks::Finish finish;
    if (m_hooks != nullptr && subresource.empty()) {
        finish = m_hooks->beginUpdate(type, current, *next, causes);
        if (!causes.empty()) {
            return jsonResponse(422, api::invalidStatus(type, call.info.name, causes));
        }
    }
    if (call.dryRun || *next == current) {
        if (finish) {
            finish(!call.dryRun);
        }
        // Nothing changed: no new revision, as kube-apiserver.
        return respond(call.dryRun ? *next : current);
    }
    const bool scale = call.info.subresource == "scale";
    return submitWrite(
        store::Mutation{store::Mutation::Kind::Update, kv.key, encodeObject(*next, type),
                        kv.modRevision, retry},
        [typeOf = call.type, name = call.info.name, scale](core::Result<store::KeyValue> updated) {
            if (!updated) {
                return writeError(updated.error(), *typeOf, name);
            }
            auto stored = decodeObject(*updated, *typeOf);
            if (!stored) {
                return errorResponse(stored.error());
            }
            return jsonResponse(200, scale ? scaleOf(*typeOf, *stored) : *stored);
        },
        std::move(finish));
}

std::function<void(bool)> ResourceHandler::afterDelete(
    std::shared_ptr<const api::ResourceType> type, const json& object) const {
    if (m_hooks == nullptr) {
        return {};
    }
    return [hooks = m_hooks, type = std::move(type), object](bool committed) {
        if (committed) {
            hooks->afterDelete(*type, object);
        }
    };
}

HttpResponse ResourceHandler::submitWrite(
    store::Mutation mutation, std::function<HttpResponse(core::Result<store::KeyValue>)> answer,
    std::function<void(bool)> finish) const {
    // The answer waits for the write to be durable, but no thread waits with it: the store's
    // commit thread hands the outcome back, and the answer is made where it is resumed.
    HttpResponse pending;
    pending.deferred = [&store = m_store, mutation = std::move(mutation),
                        answer = std::move(answer),
                        finish = std::move(finish)](ResumeResponse resume) mutable {
        store.submit(std::move(mutation),
                     [resume = std::move(resume), answer = std::move(answer),
                      finish = std::move(finish)](core::Result<store::KeyValue> written) {
                         if (finish) {
                             finish(static_cast<bool>(written));
                         }
                         resume([written = std::move(written), answer] { return answer(written); });
                     });
    };
    return pending;
}

HttpResponse ResourceHandler::remove(const Call& call) const {
    auto options = parseDeleteOptions(call.request, call.query);
    if (!options) {
        return errorResponse(options.error());
    }
    return removeAttempt(call, *options, 0);
}

HttpResponse ResourceHandler::removeAttempt(const Call& call, const DeleteOptions& options,
                                            int attempt) const {
    const auto& type = *call.type;
    auto kv = m_store.get(storageKey(type, call.info.nameSpace, call.info.name));
    if (!kv) {
        return errorResponse(notFound(type, call.info.name), type, call.info.name);
    }
    auto result = deleteObject(call, options, *kv);
    if (attempt + 1 >= kPatchAttempts) {
        // As many lost races (or failed preconditions) as attempts: kube's generic Conflict.
        return thenResponse(
            std::move(result), [typeOf = call.type, name = call.info.name](HttpResponse answer) {
                return answer.status == 409 ? errorResponse(conflict(*typeOf, name), *typeOf, name)
                                            : answer;
            });
    }
    return retryOnConflict(call, std::move(result), [this, options, attempt](const Call& again) {
        return removeAttempt(again, options, attempt + 1);
    });
}

HttpResponse ResourceHandler::deleteObject(const Call& call, const DeleteOptions& options,
                                           const store::KeyValue& kv) const {
    const auto& type = *call.type;
    auto decoded = decodeObject(kv, type);
    if (!decoded) {
        return errorResponse(decoded.error());
    }
    json object = std::move(*decoded);
    json& metadata = object["metadata"];
    const std::string name = stringField(metadata, "name");
    if (!options.preconditionUid.empty() &&
        options.preconditionUid != stringField(metadata, "uid")) {
        return errorResponse(
            core::Error(core::ErrorCode::Conflict,
                        "Precondition failed: UID in precondition: " + options.preconditionUid +
                            ", UID in object meta: " + stringField(metadata, "uid")),
            type, name);
    }
    if (!options.preconditionResourceVersion.empty() &&
        options.preconditionResourceVersion != std::to_string(kv.modRevision)) {
        return errorResponse(
            core::Error(core::ErrorCode::Conflict,
                        "Precondition failed: ResourceVersion in precondition: " +
                            options.preconditionResourceVersion +
                            ", ResourceVersion in object meta: " + std::to_string(kv.modRevision)),
            type, name);
    }
    const bool alreadyDeleting = metadata.contains("deletionTimestamp");
    json before = object;
    if (type.prepareForDelete && !alreadyDeleting) {
        type.prepareForDelete(object, call.now);
    }
    // Orphan and Foreground leave the work to the garbage collector, through finalizers.
    if (options.propagationPolicy == "Orphan") {
        addFinalizer(metadata, "orphan");
    } else if (options.propagationPolicy == "Foreground") {
        addFinalizer(metadata, "foregroundDeletion");
    }
    const bool terminatingNamespace = type.group.empty() && type.kind == "Namespace";
    // A pod on a node is deleted gracefully: its agent stops it, then deletes it for good.
    long long grace = 0;
    if (type.group.empty() && type.kind == "Pod" &&
        !object.value("/spec/nodeName"_json_pointer, std::string()).empty()) {
        grace = options.gracePeriodSeconds.value_or(
            object.value("/spec/terminationGracePeriodSeconds"_json_pointer, 30LL));
    }
    if (blocksDeletion(type, object) || grace > 0) {
        if (!alreadyDeleting) {
            metadata["deletionTimestamp"] =
                rfc3339(call.now + std::chrono::seconds(std::max(0LL, grace)));
            metadata["deletionGracePeriodSeconds"] = std::max(0LL, grace);
        }
        if (terminatingNamespace) {
            object["status"]["phase"] = "Terminating";
        }
        if (object == before || options.dryRun) {
            return jsonResponse(200, object);
        }
        return submitWrite(store::Mutation{store::Mutation::Kind::Update, kv.key,
                                           encodeObject(object, type), kv.modRevision},
                           [typeOf = call.type, name](core::Result<store::KeyValue> updated) {
                               if (!updated) {
                                   return writeError(updated.error(), *typeOf, name);
                               }
                               auto stored = decodeObject(*updated, *typeOf);
                               return stored ? jsonResponse(200, *stored)
                                             : errorResponse(stored.error());
                           });
    }
    json details = statusDetails(type, name);
    details["uid"] = stringField(metadata, "uid");
    json success = {{"kind", "Status"},
                    {"apiVersion", "v1"},
                    {"metadata", json::object()},
                    {"status", "Success"},
                    {"details", details}};
    if (options.dryRun) {
        return jsonResponse(200, success);
    }
    return submitWrite(
        store::Mutation{store::Mutation::Kind::Delete, kv.key, {}, kv.modRevision},
        [typeOf = call.type, name,
         success = std::move(success)](core::Result<store::KeyValue> removed) {
            if (!removed) {
                return writeError(removed.error(), *typeOf, name);
            }
            return jsonResponse(200, success);
        },
        afterDelete(call.type, object));
}

HttpResponse ResourceHandler::removeCollection(const Call& call) const {
    const auto& type = *call.type;
    auto options = parseDeleteOptions(call.request, call.query);
    if (!options) {
        return errorResponse(options.error());
    }
    auto selectors = parseSelectors(type, call.query);
    if (!selectors) {
        return errorResponse(selectors.error());
    }
    store::ListOptions listOptions;
    listOptions.prefix = storagePrefix(type, call.info.nameSpace);
    auto page = m_store.list(listOptions);
    if (!page) {
        return errorResponse(page.error());
    }
    json items = json::array();
    for (const auto& kv : page->items) {
        auto object = decodeObject(kv, type);
        if (!object || !selectors->matches(*object)) {
            continue;
        }
        auto result = awaitResponse(deleteObject(call, *options, kv));
        if (result.status >= 300 && result.status != 404 && result.status != 409) {
            return result;
        }
        items.push_back(std::move(*object));
    }
    return jsonResponse(200, {{"kind", type.listKind()},
                              {"apiVersion", type.apiVersion()},
                              {"metadata", {{"resourceVersion", std::to_string(page->revision)}}},
                              {"items", std::move(items)}});
}

core::Result<void> ResourceHandler::bootstrap() const {
    const auto namespaces = m_registry.find("", "v1", "namespaces");
    if (!namespaces) {
        return core::Error(core::ErrorCode::Internal, "namespaces are not registered");
    }
    for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
        const std::string key = storageKey(*namespaces, "", name);
        if (m_store.get(key)) {
            continue;
        }
        json object = {{"apiVersion", "v1"},
                       {"kind", "Namespace"},
                       {"metadata",
                        {{"name", name},
                         {"uid", newUid()},
                         {"creationTimestamp", rfc3339(m_clock())},
                         {"labels", {{"kubernetes.io/metadata.name", name}}}}},
                       {"spec", {{"finalizers", {"kubernetes"}}}},
                       {"status", {{"phase", "Active"}}}};
        auto created = m_store.create(key, encodeObject(object));
        if (!created && created.error().code() != core::ErrorCode::AlreadyExists) {
            return created.error();
        }
    }
    return core::success();
}

namespace {

/// The Success Status that binding and eviction answer with (201, as kube-apiserver).
HttpResponse createdStatus() {
    return jsonResponse(201, {{"kind", "Status"},
                              {"apiVersion", "v1"},
                              {"metadata", json::object()},
                              {"status", "Success"},
                              {"code", 201}});
}

/// The body of a binding or eviction: its metadata.name must be the pod's.
core::Result<json> subresourceBody(const HttpRequest& request, const std::string& podName,
                                   const char* what) {
    auto body = parseRequestObject(request);
    if (!body) {
        return body.error();
    }
    const std::string name = body->value("/metadata/name"_json_pointer, std::string());
    if (!name.empty() && name != podName) {
        return core::Error(core::ErrorCode::BadRequest,
                           std::string("name in URL does not match name in ") + what + " object");
    }
    return body;
}

bool podReady(const json& pod) {
    for (const auto& condition : pod.value("/status/conditions"_json_pointer, json::array())) {
        if (condition.value("type", "") == "Ready") {
            return condition.value("status", "") == "True";
        }
    }
    return false;
}

/// The 429 an eviction gets when `budget` allows no disruption now; empty if it does.
std::optional<HttpResponse> checkDisruptionBudget(const json& budget, bool podIsReady) {
    const std::string name = budget.value("/metadata/name"_json_pointer, std::string());
    const auto refuse = [&](const std::string& cause) {
        json status = api::failureStatus(
            core::Error(core::ErrorCode::TooManyRequests,
                        "Cannot evict pod as it would violate the pod's disruption budget."));
        status["details"] = {{"causes", {{{"reason", "DisruptionBudget"}, {"message", cause}}}}};
        auto response = jsonResponse(429, status);
        response.headers.emplace_back("Retry-After", "10");
        return response;
    };
    const auto generation = budget.value("/metadata/generation"_json_pointer, 1LL);
    if (budget.value("/status/observedGeneration"_json_pointer, 0LL) < generation) {
        return refuse("The disruption budget " + name + " is still being processed by the server.");
    }
    const auto healthy = budget.value("/status/currentHealthy"_json_pointer, 0LL);
    const auto desired = budget.value("/status/desiredHealthy"_json_pointer, 0LL);
    // An unready pod counts against no budget that is already met (IfHealthyBudget).
    if (!podIsReady && healthy >= desired) {
        return std::nullopt;
    }
    if (budget.value("/status/disruptionsAllowed"_json_pointer, 0LL) <= 0) {
        return refuse("The disruption budget " + name + " needs " + std::to_string(desired) +
                      " healthy pods and has " + std::to_string(healthy) + " currently");
    }
    return std::nullopt;
}

}  // namespace

HttpResponse ResourceHandler::bind(const Call& call) const {
    const auto& type = *call.type;
    auto binding = subresourceBody(call.request, call.info.name, "Binding");
    if (!binding) {
        return errorResponse(binding.error());
    }
    const std::string targetKind = binding->value("/target/kind"_json_pointer, std::string());
    const std::string node = binding->value("/target/name"_json_pointer, std::string());
    api::FieldCauses causes;
    if (!targetKind.empty() && targetKind != "Node") {
        causes.push_back(
            api::field::notSupported(api::FieldPath("target").child("kind"), targetKind, {"Node"}));
    }
    if (node.empty()) {
        causes.push_back(api::field::required(api::FieldPath("target").child("name")));
    }
    if (!causes.empty()) {
        api::ResourceType bindings;
        bindings.version = "v1";
        bindings.kind = "Binding";
        bindings.plural = "bindings";
        return jsonResponse(422, api::invalidStatus(bindings, call.info.name, causes));
    }
    for (int attempt = 0; attempt < kPatchAttempts; ++attempt) {
        auto read = readCurrent(call);
        if (!read) {
            return errorResponse(read.error(), type, call.info.name);
        }
        const store::KeyValue& kv = read->kv;
        json& pod = read->object;
        // As kube-apiserver's BindingREST: a pod is bound once, and never while it goes.
        const std::string podRef = call.info.nameSpace + "/" + call.info.name;
        if (pod.contains("/metadata/deletionTimestamp"_json_pointer)) {
            return errorResponse(
                core::Error(core::ErrorCode::Conflict,
                            "pod " + podRef + " is being deleted, cannot be assigned to a host"),
                type, call.info.name);
        }
        const std::string assigned = pod.value("/spec/nodeName"_json_pointer, std::string());
        if (!assigned.empty()) {
            return errorResponse(
                core::Error(core::ErrorCode::Conflict,
                            "pod " + podRef + " is already assigned to node \"" + assigned + "\""),
                type, call.info.name);
        }
        json next = pod;
        next["spec"]["nodeName"] = node;
        const auto annotations = binding->value("/metadata/annotations"_json_pointer, json());
        if (annotations.is_object()) {
            for (const auto& [name, value] : annotations.items()) {
                next["metadata"]["annotations"][name] = value;
            }
        }
        json& conditions = next["status"]["conditions"];
        if (!conditions.is_array()) {
            conditions = json::array();
        }
        const json scheduled = {{"type", "PodScheduled"},
                                {"status", "True"},
                                {"lastProbeTime", nullptr},
                                {"lastTransitionTime", rfc3339(call.now)}};
        const auto existing = std::find_if(conditions.begin(), conditions.end(), [](const json& c) {
            return c.value("type", "") == "PodScheduled";
        });
        if (existing != conditions.end()) {
            *existing = scheduled;
        } else {
            conditions.push_back(scheduled);
        }
        if (call.dryRun) {
            return createdStatus();
        }
        // Straight to the store: the binding is the one way to set spec.nodeName after
        // creation, which the pod's update validation rightly refuses.
        auto updated = m_store.update(kv.key, encodeObject(next, type), kv.modRevision);
        if (updated) {
            return createdStatus();
        }
        if (updated.error().code() != core::ErrorCode::Conflict) {
            return errorResponse(updated.error());
        }
    }
    return errorResponse(conflict(type, call.info.name), type, call.info.name);
}

HttpResponse ResourceHandler::evict(const Call& call) const {
    const auto& type = *call.type;
    auto eviction = subresourceBody(call.request, call.info.name, "Eviction");
    if (!eviction) {
        return errorResponse(eviction.error());
    }
    DeleteOptions options;
    options.dryRun = call.dryRun;
    if (const auto it = eviction->find("deleteOptions"); it != eviction->end() && it->is_object()) {
        if (auto read = readDeleteOptions(*it, options); !read) {
            return errorResponse(read.error());
        }
    }
    const auto budgets = m_registry.find("policy", "v1", "poddisruptionbudgets");
    for (int attempt = 0; attempt < kPatchAttempts; ++attempt) {
        auto read = readCurrent(call);
        if (!read) {
            return errorResponse(read.error(), type, call.info.name);
        }
        const store::KeyValue& kv = read->kv;
        json& pod = read->object;
        // A pod that is going anyway, has finished or never started disrupts nothing: no
        // budget is consulted (kube-apiserver's canIgnorePDB).
        const std::string phase = pod.value("/status/phase"_json_pointer, std::string());
        const bool ignoresBudgets = pod.contains("/metadata/deletionTimestamp"_json_pointer) ||
                                    phase == "Succeeded" || phase == "Failed" ||
                                    phase == "Pending" || budgets == nullptr;
        if (!ignoresBudgets) {
            store::ListOptions listOptions;
            listOptions.prefix = storagePrefix(*budgets, call.info.nameSpace);
            auto page = m_store.list(listOptions);
            if (!page) {
                return errorResponse(page.error());
            }
            const json labels = pod.value("/metadata/labels"_json_pointer, json::object());
            std::vector<std::pair<store::KeyValue, json>> matching;
            for (const auto& budgetKv : page->items) {
                auto budget = decodeObject(budgetKv);
                if (!budget) {
                    continue;
                }
                auto selector = core::LabelSelector::fromJson(
                    budget->value("/spec/selector"_json_pointer, json::object()));
                if (selector && selector->matches(labels)) {
                    matching.emplace_back(budgetKv, std::move(*budget));
                }
            }
            if (matching.size() > 1) {
                return errorResponse(core::Error(
                    core::ErrorCode::Internal,
                    "This pod has more than one PodDisruptionBudget, which the eviction "
                    "subresource does not support."));
            }
            if (matching.size() == 1) {
                auto& [budgetKv, budget] = matching.front();
                auto refused = checkDisruptionBudget(budget, podReady(pod));
                if (refused) {
                    return std::move(*refused);
                }
                if (podReady(pod) && !call.dryRun && !options.dryRun) {
                    // Spend one disruption, and remember the pod until the disruption
                    // controller sees it gone.
                    budget["status"]["disruptionsAllowed"] =
                        budget.value("/status/disruptionsAllowed"_json_pointer, 0) - 1;
                    budget["status"]["disruptedPods"][call.info.name] = rfc3339(call.now);
                    auto spent =
                        m_store.update(budgetKv.key, encodeObject(budget), budgetKv.modRevision);
                    if (!spent) {
                        if (spent.error().code() == core::ErrorCode::Conflict) {
                            continue;
                        }
                        return errorResponse(spent.error());
                    }
                }
            }
        }
        auto deleted = awaitResponse(deleteObject(call, options, kv));
        if (deleted.status == 409 && attempt + 1 < kPatchAttempts) {
            continue;
        }
        return deleted.status < 300 ? createdStatus() : deleted;
    }
    return errorResponse(conflict(type, call.info.name), type, call.info.name);
}

}  // namespace slipway::apiserver
