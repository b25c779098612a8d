// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/sim/sim_pod.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "engine/core/duration.h"
#include "engine/core/timestamp.h"

namespace slipway::agent::sim {

namespace {

using nlohmann::json;
using std::chrono::milliseconds;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::uint64_t fnv(const std::string& text, std::uint64_t seed = 1469598103934665603ULL) {
    std::uint64_t hash = seed;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

/// 64 hex digits derived from `seed`: a fake sha256 digest or container id.
std::string hex64(const std::string& seed) {
    std::string out;
    std::uint64_t hash = fnv(seed);
    for (int i = 0; i < 4; ++i) {
        hash = fnv(seed + static_cast<char>('a' + i), hash);
        char buffer[17];
        std::snprintf(buffer, sizeof(buffer), "%016llx", static_cast<unsigned long long>(hash));
        out += buffer;
    }
    return out;
}

std::string annotation(const json& pod, const char* key) {
    const auto value = pod.value("/metadata/annotations"_json_pointer, json::object());
    const auto it = value.find(key);
    return it != value.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// The image reference without tag or digest ("docker.io/library/nginx").
std::string repositoryOf(const std::string& normalized) {
    std::string repository = normalized.substr(0, normalized.find('@'));
    const auto slash = repository.rfind('/');
    const auto colon = repository.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        repository.resize(colon);
    }
    return repository;
}

/// The message of a readiness probe that keeps failing, by probe type.
std::string probeFailureMessage(const json& probe) {
    if (probe.contains("httpGet")) {
        return "Readiness probe failed: HTTP probe failed with statuscode: 503";
    }
    if (probe.contains("tcpSocket")) {
        return "Readiness probe failed: dial tcp: connect: connection refused";
    }
    if (probe.contains("grpc")) {
        return "Readiness probe failed: service unhealthy (responded with \"NOT_SERVING\")";
    }
    return "Readiness probe failed: command failed with exit code 1";
}

}  // namespace

bool isUnpullableImage(const std::string& image) {
    const std::string text = lower(image);
    return text.find("doesnotexist") != std::string::npos ||
           text.find("invalid") != std::string::npos;
}

std::string normalizedImage(const std::string& image) {
    std::string name = image;
    const auto firstSlash = name.find('/');
    const std::string head = firstSlash == std::string::npos ? "" : name.substr(0, firstSlash);
    const bool hasRegistry =
        !head.empty() && (head.find('.') != std::string::npos ||
                          head.find(':') != std::string::npos || head == "localhost");
    if (!hasRegistry) {
        name = (firstSlash == std::string::npos ? "docker.io/library/" : "docker.io/") + name;
    }
    const auto lastSlash = name.rfind('/');
    const auto lastColon = name.rfind(':');
    if (name.find('@') == std::string::npos &&
        (lastColon == std::string::npos || lastColon < lastSlash)) {
        name += ":latest";
    }
    return name;
}

std::optional<milliseconds> parseGoDuration(const std::string& text) {
    auto parsed = core::parseGoDuration(text);
    if (!parsed) {
        return std::nullopt;
    }
    return std::chrono::duration_cast<milliseconds>(*parsed);
}

SimPod::SimPod(const json& pod, const SimConfig& config) : m_config(config) {
    m_podName = pod.value("/metadata/name"_json_pointer, std::string());
    m_podNamespace = pod.value("/metadata/namespace"_json_pointer, std::string());
    m_podUid = pod.value("/metadata/uid"_json_pointer, std::string());
    m_restartPolicy = pod.value("/spec/restartPolicy"_json_pointer, std::string("Always"));
    if (const std::string code = annotation(pod, annotations::kExitCode); !code.empty()) {
        try {
            m_exitCode = std::stoi(code);
        } catch (...) {
            m_exitCode = 1;
        }
    }
    m_runDuration = parseGoDuration(annotation(pod, annotations::kRunDuration));
    const bool neverReady = lower(annotation(pod, annotations::kReady)) == "false";
    const auto readyAfter = parseGoDuration(annotation(pod, annotations::kReadyAfter));

    const auto add = [&](const json& spec, bool init) {
        Container c;
        c.name = spec.value("name", "");
        c.image = spec.value("image", "");
        c.pullPolicy = spec.value("imagePullPolicy", "IfNotPresent");
        c.init = init;
        c.sidecar = init && spec.value("restartPolicy", "") == "Always";
        const bool serves = !init || c.sidecar;
        if (serves) {
            const auto probe = spec.value("readinessProbe", json());
            c.hasReadinessProbe = probe.is_object();
            milliseconds delay = m_config.readyDelay;
            if (c.hasReadinessProbe) {
                delay = std::chrono::seconds(probe.value("initialDelaySeconds", 0));
                c.probeFailure = probeFailureMessage(probe);
                c.probePeriod = std::chrono::seconds(std::max(1, probe.value("periodSeconds", 10)));
            }
            if (readyAfter) {
                delay = *readyAfter;
            }
            if (!neverReady) {
                c.readinessDelay = delay;
            }
        }
        m_containers.push_back(std::move(c));
    };
    for (const auto& spec : pod.value("/spec/initContainers"_json_pointer, json::array())) {
        add(spec, true);
    }
    for (const auto& spec : pod.value("/spec/containers"_json_pointer, json::array())) {
        add(spec, false);
    }
}

SimPod::SimPod(const json& pod, const SimConfig& config, TimePoint now) : SimPod(pod, config) {
    m_createdAt = now;
    unlockAfter(static_cast<std::size_t>(-1), now);
}

SimPod SimPod::adopt(const json& pod, const SimConfig& config, TimePoint now) {
    SimPod sim(pod, config);
    sim.m_createdAt = now;
    sim.m_sandboxReady = true;
    const auto statusesOf = [&](bool init) {
        return pod.value(init ? "/status/initContainerStatuses"_json_pointer
                              : "/status/containerStatuses"_json_pointer,
                         json::array());
    };
    const auto time = [&](const json& object, const char* key) {
        return core::parseTimestamp(object.value(key, "")).value_or(now);
    };
    bool anyKnown = false;
    for (auto& c : sim.m_containers) {
        for (const auto& status : statusesOf(c.init)) {
            if (status.value("name", "") != c.name) {
                continue;
            }
            anyKnown = true;
            c.restartCount = status.value("restartCount", 0);
            c.exits = c.restartCount;
            c.containerId = status.value("containerID", "");
            c.imageId = status.value("imageID", "");
            const json state = status.value("state", json::object());
            if (state.contains("running")) {
                c.stage = Stage::Running;
                c.started = true;
                c.startedAt = time(state["running"], "startedAt");
                c.ready = status.value("ready", false);
                if (c.readinessDelay && !c.ready) {
                    c.readyAt = std::max(now, c.startedAt + *c.readinessDelay);
                }
                if (sim.exits(c)) {
                    c.exitAt = c.startedAt + sim.m_runDuration.value_or(sim.m_config.runDuration);
                }
            } else if (state.contains("terminated")) {
                c.stage = Stage::Exited;
                c.startedAt = time(state["terminated"], "startedAt");
                c.finishedAt = time(state["terminated"], "finishedAt");
                c.exitCode = state["terminated"].value("exitCode", 0);
                if (!(c.init && c.exitCode == 0) && sim.restarts(c.exitCode)) {
                    c.stage = Stage::CrashBackOff;
                    c.at = now;
                }
            } else {
                c.stage = Stage::NotStarted;
                c.at = now;
            }
        }
    }
    if (!anyKnown) {
        sim.unlockAfter(static_cast<std::size_t>(-1), now);
    }
    return sim;
}

std::string SimPod::fieldPath(const Container& c) const {
    return (c.init ? "spec.initContainers{" : "spec.containers{") + c.name + "}";
}

milliseconds SimPod::backoff(int failures) const {
    // kubelet: 10 s, 20 s, 40 s … up to 5 min (scaled by the config).
    milliseconds delay = m_config.backoffInitial;
    for (int i = 1; i < failures && delay < m_config.backoffMax; ++i) {
        delay *= 2;
    }
    return std::min(delay, m_config.backoffMax);
}

bool SimPod::exits(const Container& c) const {
    if (c.init && !c.sidecar) {
        return true;
    }
    if (c.sidecar) {
        return false;
    }
    return m_restartPolicy != "Always" || m_exitCode || m_runDuration;
}

bool SimPod::restarts(int exitCode) const {
    return m_restartPolicy == "Always" || (m_restartPolicy == "OnFailure" && exitCode != 0);
}

std::string SimPod::newContainerId(const Container& c) const {
    return "sim://" + hex64(m_podUid + "/" + c.name + "/" + std::to_string(c.restartCount));
}

void SimPod::unlockAfter(std::size_t index, TimePoint t) {
    // The next init container, or every regular container once the init containers are done.
    for (std::size_t i = index + 1; i < m_containers.size(); ++i) {
        Container& c = m_containers[i];
        if (c.stage != Stage::NotStarted || c.at) {
            if (c.init) {
                return;  // already under way
            }
            continue;
        }
        c.at = t;
        if (c.init) {
            return;  // one init container at a time
        }
    }
}

std::optional<TimePoint> SimPod::dueOf(const Container& c) const {
    if (c.stage == Stage::Running) {
        std::optional<TimePoint> due;
        for (const auto& candidate : {c.readyAt, c.exitAt, c.unhealthyAt}) {
            if (candidate && (!due || *candidate < *due)) {
                due = candidate;
            }
        }
        return due;
    }
    if (c.stage == Stage::Exited) {
        return std::nullopt;
    }
    return c.at;
}

std::optional<TimePoint> SimPod::nextTransition() const {
    std::optional<TimePoint> next;
    for (const auto& c : m_containers) {
        const auto due = dueOf(c);
        if (due && (!next || *due < *next)) {
            next = due;
        }
    }
    return next;
}

std::vector<SimEvent> SimPod::advance(TimePoint now, const ImageStore& images) {
    std::vector<SimEvent> events;
    m_sandboxReady = true;
    // Bounded: a pod far behind (a node stopped for hours) catches up in at most this many
    // steps per call; the caller comes back at nextTransition().
    for (int steps = 0; steps < 10'000 && step(now, images, events); ++steps) {
    }
    return events;
}

bool SimPod::step(TimePoint now, const ImageStore& images, std::vector<SimEvent>& events) {
    Container* earliest = nullptr;
    TimePoint when;
    for (auto& c : m_containers) {
        const auto due = dueOf(c);
        if (due && *due <= now && (earliest == nullptr || *due < when)) {
            earliest = &c;
            when = *due;
        }
    }
    if (earliest == nullptr) {
        return false;
    }
    transition(*earliest, when, images, events);
    return true;
}

void SimPod::beginCreate(Container& c, TimePoint t, const ImageStore& images,
                         std::vector<SimEvent>& events) {
    const std::string normalized = normalizedImage(c.image);
    const bool present = images.present && images.present(normalized);
    c.pulling = c.pullPolicy == "Always" || (!present && c.pullPolicy != "Never") ||
                isUnpullableImage(c.image);
    if (c.pulling) {
        events.push_back({fieldPath(c), "Normal", "Pulling", "Pulling image \"" + c.image + "\""});
    }
    c.stage = Stage::Creating;
    c.at = t + m_config.startDelay;
}

void SimPod::start(Container& c, TimePoint t, std::vector<SimEvent>& events, bool pulled) {
    const std::string normalized = normalizedImage(c.image);
    if (pulled) {
        const auto size = 5'000'000 + fnv(normalized) % 200'000'000;
        const std::string took = goDuration(m_config.startDelay);
        events.push_back({fieldPath(c), "Normal", "Pulled",
                          "Successfully pulled image \"" + c.image + "\" in " + took + " (" + took +
                              " including waiting). Image size: " + std::to_string(size) +
                              " bytes."});
    } else {
        events.push_back({fieldPath(c), "Normal", "Pulled",
                          "Container image \"" + c.image + "\" already present on machine"});
    }
    c.imageId = repositoryOf(normalized) + "@sha256:" + hex64("image/" + normalized);
    c.containerId = newContainerId(c);
    events.push_back({fieldPath(c), "Normal", "Created", "Created container: " + c.name});
    events.push_back({fieldPath(c), "Normal", "Started", "Started container " + c.name});
    c.stage = Stage::Running;
    c.at.reset();
    c.started = true;
    c.ready = false;
    c.startedAt = t;
    c.waitingMessage.clear();
    c.readyAt.reset();
    c.exitAt.reset();
    c.unhealthyAt.reset();
    if (!c.init || c.sidecar) {
        if (c.readinessDelay) {
            c.readyAt = t + *c.readinessDelay;
        } else if (c.hasReadinessProbe) {
            c.unhealthyAt = t + c.probePeriod;
        }
    }
    if (exits(c)) {
        c.exitAt = c.init ? t : t + m_runDuration.value_or(m_config.runDuration);
    }
    if (c.sidecar) {
        // A started sidecar lets the next init container begin.
        const auto index = static_cast<std::size_t>(&c - m_containers.data());
        unlockAfter(index, t);
    }
}

void SimPod::exit(Container& c, TimePoint t, std::vector<SimEvent>& events) {
    c.exitCode = c.init ? 0 : m_exitCode.value_or(0);
    c.finishedAt = t;
    c.ready = false;
    c.readyAt.reset();
    c.exitAt.reset();
    c.unhealthyAt.reset();
    c.started = false;
    const ContainerTermination termination{
        c.exitCode, c.exitCode == 0 ? "Completed" : "Error", {}, c.startedAt, t, c.containerId};
    const auto index = static_cast<std::size_t>(&c - m_containers.data());
    if (c.init && c.exitCode == 0) {
        c.stage = Stage::Exited;
        unlockAfter(index, t);
        return;
    }
    if (!restarts(c.exitCode)) {
        c.stage = Stage::Exited;
        return;
    }
    ++c.exits;
    c.lastTermination = termination;
    const milliseconds delay = c.exits == 1 ? milliseconds(0) : backoff(c.exits - 1);
    const std::string pod = m_podName + "_" + m_podNamespace + "(" + m_podUid + ")";
    if (delay.count() == 0) {
        // kubelet restarts a container at once the first time it exits.
        ++c.restartCount;
        start(c, t, events, false);
        return;
    }
    c.stage = Stage::CrashBackOff;
    c.at = t + delay;
    c.waitingMessage =
        "back-off " + goDuration(delay) + " restarting failed container=" + c.name + " pod=" + pod;
    events.push_back({fieldPath(c), "Warning", "BackOff",
                      "Back-off restarting failed container " + c.name + " in pod " + pod});
}

void SimPod::transition(Container& c, TimePoint t, const ImageStore& images,
                        std::vector<SimEvent>& events) {
    switch (c.stage) {
        case Stage::NotStarted:
            beginCreate(c, t, images, events);
            return;
        case Stage::Creating: {
            if (isUnpullableImage(c.image)) {
                const std::string normalized = normalizedImage(c.image);
                ++c.pullFailures;
                c.pullFailedAt = t;
                c.waitingMessage =
                    "rpc error: code = NotFound desc = failed to pull and unpack image \"" +
                    normalized + "\": failed to resolve reference \"" + normalized +
                    "\": " + normalized + ": not found";
                events.push_back({fieldPath(c), "Warning", "Failed",
                                  "Failed to pull image \"" + c.image + "\": " + c.waitingMessage});
                events.push_back({fieldPath(c), "Warning", "Failed", "Error: ErrImagePull"});
                c.stage = Stage::PullFailed;
                // The next sync of the pod worker shows the back-off.
                c.at = t + std::min(milliseconds(1000), m_config.backoffInitial / 2);
                return;
            }
            if (c.pulling && images.pulled) {
                images.pulled(normalizedImage(c.image));
            }
            start(c, t, events, c.pulling);
            return;
        }
        case Stage::PullFailed:
            c.stage = Stage::PullBackOff;
            c.waitingMessage = "Back-off pulling image \"" + c.image + "\"";
            events.push_back({fieldPath(c), "Normal", "BackOff", c.waitingMessage});
            events.push_back({fieldPath(c), "Warning", "Failed", "Error: ImagePullBackOff"});
            c.at = c.pullFailedAt + backoff(c.pullFailures);
            return;
        case Stage::PullBackOff:
            beginCreate(c, t, images, events);
            return;
        case Stage::CrashBackOff:
            ++c.restartCount;
            start(c, t, events, false);
            return;
        case Stage::Running:
            if (c.readyAt && *c.readyAt <= t) {
                c.ready = true;
                c.readyAt.reset();
                return;
            }
            if (c.unhealthyAt && *c.unhealthyAt <= t) {
                events.push_back({fieldPath(c), "Warning", "Unhealthy", c.probeFailure});
                c.unhealthyAt = t + c.probePeriod;
                return;
            }
            if (c.exitAt && *c.exitAt <= t) {
                exit(c, t, events);
            }
            return;
        case Stage::Exited:
            return;
    }
}

PodRuntimeStatus SimPod::runtime() const {
    PodRuntimeStatus status;
    status.sandboxReady = m_sandboxReady;
    status.startTime = m_createdAt;
    const bool hasInit = std::any_of(m_containers.begin(), m_containers.end(),
                                     [](const Container& c) { return c.init; });
    for (const auto& c : m_containers) {
        ContainerRuntimeStatus s;
        s.name = c.name;
        s.image = normalizedImage(c.image);
        s.imageId = c.imageId;
        s.containerId = c.containerId;
        s.restartCount = c.restartCount;
        s.lastTermination = c.lastTermination;
        s.ready = c.ready;
        s.started = c.started;
        s.message = c.waitingMessage;
        switch (c.stage) {
            case Stage::NotStarted:
                s.phase = ContainerPhase::Waiting;
                s.reason = hasInit ? "PodInitializing" : "ContainerCreating";
                break;
            case Stage::Creating:
                s.phase = ContainerPhase::Waiting;
                s.reason = "ContainerCreating";
                s.message.clear();
                break;
            case Stage::PullFailed:
                s.phase = ContainerPhase::Waiting;
                s.reason = "ErrImagePull";
                break;
            case Stage::PullBackOff:
                s.phase = ContainerPhase::Waiting;
                s.reason = "ImagePullBackOff";
                break;
            case Stage::CrashBackOff:
                s.phase = ContainerPhase::Waiting;
                s.reason = "CrashLoopBackOff";
                break;
            case Stage::Running:
                s.phase = ContainerPhase::Running;
                s.startedAt = c.startedAt;
                s.message.clear();
                break;
            case Stage::Exited:
                s.phase = ContainerPhase::Terminated;
                s.reason = c.exitCode == 0 ? "Completed" : "Error";
                s.message.clear();
                s.startedAt = c.startedAt;
                s.finishedAt = c.finishedAt;
                s.exitCode = c.exitCode;
                break;
        }
        (c.init ? status.initContainers : status.containers).push_back(std::move(s));
    }
    return status;
}

std::vector<std::string> SimPod::runningContainers() const {
    std::vector<std::string> names;
    for (const auto& c : m_containers) {
        if (c.stage == Stage::Running) {
            names.push_back(c.name);
        }
    }
    return names;
}

bool SimPod::terminal() const {
    // An init container that failed for good under restartPolicy Never ends the pod too.
    const bool initFailed = std::any_of(
        m_containers.begin(), m_containers.end(),
        [](const Container& c) { return c.init && c.stage == Stage::Exited && c.exitCode != 0; });
    if (initFailed) {
        return true;
    }
    bool any = false;
    for (const auto& c : m_containers) {
        if (c.init) {
            continue;
        }
        any = true;
        if (c.stage != Stage::Exited) {
            return false;
        }
    }
    return any;
}

}  // namespace slipway::agent::sim
