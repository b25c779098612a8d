// SPDX-License-Identifier: Apache-2.0
#include "engine/client/client.h"

#include "engine/client/status_error.h"

namespace slipway::client {

using nlohmann::json;

namespace {

std::string stringAt(const json& object, const json::json_pointer& pointer) {
    if (!object.is_object() || !object.contains(pointer)) {
        return {};
    }
    const auto& value = object.at(pointer);
    return value.is_string() ? value.get<std::string>() : std::string();
}

/// The answer's body as JSON, or the error of a non-2xx answer.
core::Result<json> jsonAnswer(core::Result<Response> answer, const ResourceRef& ref) {
    if (!answer) {
        return answer.error();
    }
    if (auto failure = Client::failureOf(*answer)) {
        return *failure;
    }
    auto parsed = json::parse(answer->body, nullptr, false);
    if (parsed.is_discarded()) {
        return core::Error(core::ErrorCode::Internal,
                           "the server's answer for " + ref.describe() + " is not JSON");
    }
    return parsed;
}

core::Result<ObjectList> listAnswer(core::Result<json> answer, const ResourceRef& ref) {
    if (!answer) {
        return answer.error();
    }
    json& body = *answer;
    ObjectList list;
    list.resourceVersion = stringAt(body, "/metadata/resourceVersion"_json_pointer);
    list.continueToken = stringAt(body, "/metadata/continue"_json_pointer);
    if (body.contains("items")) {
        if (!body["items"].is_array()) {
            return core::Error(core::ErrorCode::Internal,
                               "the list of " + ref.describe() + " has no items array");
        }
        list.items.reserve(body["items"].size());
        for (auto& item : body["items"]) {
            list.items.push_back(std::move(item));
        }
    }
    return list;
}

void addWriteOptions(QueryBuilder& query, const WriteOptions& options) {
    if (options.dryRun) {
        query.add("dryRun", "All");
    }
    query.add("fieldManager", options.fieldManager);
    query.add("fieldValidation", options.fieldValidation);
}

std::string writeQuery(const WriteOptions& options) {
    QueryBuilder query;
    addWriteOptions(query, options);
    return query.str();
}

/// `ref` completed from the object: namespace and name from its metadata where `ref` has none.
ResourceRef completed(ResourceRef ref, const json& object, bool withName) {
    if (ref.nameSpace.empty()) {
        ref.nameSpace = stringAt(object, "/metadata/namespace"_json_pointer);
    }
    if (withName && ref.name.empty()) {
        ref.name = stringAt(object, "/metadata/name"_json_pointer);
    } else if (!withName) {
        ref.name.clear();
        ref.subresource.clear();
    }
    return ref;
}

core::Result<void> requireName(const ResourceRef& ref, const char* verb) {
    if (ref.name.empty()) {
        return core::Error(core::ErrorCode::BadRequest,
                           std::string(verb) + " of " + ref.describe() + " needs a name");
    }
    return core::success();
}

json deleteOptionsBody(const DeleteOptions& options) {
    json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
    switch (options.propagationPolicy) {
        case PropagationPolicy::Unset:
            break;
        case PropagationPolicy::Orphan:
            body["propagationPolicy"] = "Orphan";
            break;
        case PropagationPolicy::Background:
            body["propagationPolicy"] = "Background";
            break;
        case PropagationPolicy::Foreground:
            body["propagationPolicy"] = "Foreground";
            break;
    }
    if (options.gracePeriodSeconds) {
        body["gracePeriodSeconds"] = *options.gracePeriodSeconds;
    }
    if (!options.preconditionUid.empty()) {
        body["preconditions"]["uid"] = options.preconditionUid;
    }
    if (!options.preconditionResourceVersion.empty()) {
        body["preconditions"]["resourceVersion"] = options.preconditionResourceVersion;
    }
    if (options.dryRun) {
        body["dryRun"] = json::array({"All"});
    }
    return body;
}

void addSelection(QueryBuilder& query, const ListOptions& options) {
    query.add("labelSelector", options.labelSelector);
    query.add("fieldSelector", options.fieldSelector);
}

}  // namespace

const char* patchContentType(PatchType type) {
    switch (type) {
        case PatchType::Json:
            return "application/json-patch+json";
        case PatchType::Merge:
            return "application/merge-patch+json";
        case PatchType::StrategicMerge:
            return "application/strategic-merge-patch+json";
    }
    return "application/merge-patch+json";
}

std::optional<core::Error> Client::failureOf(const Response& response) {
    if (response.status >= 200 && response.status < 300) {
        return std::nullopt;
    }
    return errorFromStatus(response.status, response.body);
}

core::Result<json> Client::get(const ResourceRef& ref, const GetOptions& options) const {
    if (auto named = requireName(ref, "get"); !named) {
        return named.error();
    }
    QueryBuilder query;
    query.add("resourceVersion", options.resourceVersion);
    return jsonAnswer(send(Request("GET", ref.path() + query.str())), ref);
}

core::Result<ObjectList> Client::list(const ResourceRef& ref, const ListOptions& options) const {
    ResourceRef collection = ref;
    collection.name.clear();
    collection.subresource.clear();
    QueryBuilder query;
    addSelection(query, options);
    if (options.limit > 0) {
        query.add("limit", options.limit);
    }
    query.add("continue", options.continueToken);
    query.add("resourceVersion", options.resourceVersion);
    query.add("resourceVersionMatch", options.resourceVersionMatch);
    return listAnswer(jsonAnswer(send(Request("GET", collection.path() + query.str())), ref), ref);
}

core::Result<ObjectList> Client::listAll(const ResourceRef& ref, ListOptions options,
                                         const ItemTransform& transform) const {
    // Each page's items are transformed as they arrive, so a caller that keeps little of each
    // object never holds every whole object at once.
    const auto transformed = [&transform](ObjectList page) {
        if (transform) {
            for (auto& item : page.items) {
                item = transform(std::move(item));
            }
        }
        return page;
    };
    options.continueToken.clear();
    auto first = list(ref, options);
    if (!first) {
        return first.error();
    }
    ObjectList all = transformed(std::move(*first));
    while (!all.continueToken.empty()) {
        options.continueToken = all.continueToken;
        auto page = list(ref, options);
        if (!page) {
            if (page.error().code() != core::ErrorCode::Gone) {
                return page.error();
            }
            // The revision the pages were pinned to was compacted meanwhile: as client-go's
            // pager does, fall back to one list of everything at the current revision.
            options.continueToken.clear();
            options.limit = 0;
            auto everything = list(ref, options);
            if (!everything) {
                return everything.error();
            }
            return transformed(std::move(*everything));
        }
        ObjectList next = transformed(std::move(*page));
        for (auto& item : next.items) {
            all.items.push_back(std::move(item));
        }
        all.continueToken = std::move(next.continueToken);
    }
    return all;
}

core::Result<Watch> Client::watch(const ResourceRef& ref, const WatchOptions& options) const {
    ResourceRef target = ref;
    target.subresource.clear();
    QueryBuilder query;
    query.add("watch", "true");
    query.add("labelSelector", options.labelSelector);
    query.add("fieldSelector", options.fieldSelector);
    query.add("resourceVersion", options.resourceVersion);
    if (options.allowBookmarks) {
        query.add("allowWatchBookmarks", "true");
    }
    if (options.timeout.count() > 0) {
        query.add("timeoutSeconds", static_cast<long long>(options.timeout.count()));
    }
    Request request("GET", target.path() + query.str());
    request.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout);
    return stream(request, options.bufferCapacity);
}

core::Result<json> Client::create(const ResourceRef& ref, const json& object,
                                  const WriteOptions& options) const {
    const ResourceRef collection = completed(ref, object, false);
    return jsonAnswer(send(Request("POST", collection.path() + writeQuery(options), object.dump(),
                                   "application/json")),
                      collection);
}

core::Result<json> Client::update(const ResourceRef& ref, const json& object,
                                  const WriteOptions& options) const {
    const ResourceRef target = completed(ref, object, true);
    if (auto named = requireName(target, "update"); !named) {
        return named.error();
    }
    return jsonAnswer(send(Request("PUT", target.path() + writeQuery(options), object.dump(),
                                   "application/json")),
                      target);
}

core::Result<json> Client::updateStatus(const ResourceRef& ref, const json& object,
                                        const WriteOptions& options) const {
    return update(completed(ref, object, true).sub("status"), object, options);
}

core::Result<json> Client::patch(const ResourceRef& ref, PatchType type, const json& patch,
                                 const WriteOptions& options) const {
    if (auto named = requireName(ref, "patch"); !named) {
        return named.error();
    }
    return jsonAnswer(send(Request("PATCH", ref.path() + writeQuery(options), patch.dump(),
                                   patchContentType(type))),
                      ref);
}

core::Result<json> Client::remove(const ResourceRef& ref, const DeleteOptions& options) const {
    if (auto named = requireName(ref, "delete"); !named) {
        return named.error();
    }
    return jsonAnswer(
        send(Request("DELETE", ref.path(), deleteOptionsBody(options).dump(), "application/json")),
        ref);
}

core::Result<ObjectList> Client::removeCollection(const ResourceRef& ref,
                                                  const ListOptions& selection,
                                                  const DeleteOptions& options) const {
    ResourceRef collection = ref;
    collection.name.clear();
    collection.subresource.clear();
    QueryBuilder query;
    addSelection(query, selection);
    return listAnswer(
        jsonAnswer(send(Request("DELETE", collection.path() + query.str(),
                                deleteOptionsBody(options).dump(), "application/json")),
                   collection),
        collection);
}

}  // namespace slipway::client
