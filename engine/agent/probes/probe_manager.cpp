// SPDX-License-Identifier: Apache-2.0
#include "engine/agent/probes/probe_manager.h"

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace slipway::agent::probes {

namespace asio = boost::asio;

std::string ProbeReport::eventReason() const {
    switch (result) {
        case ProbeResult::Success:
            return {};
        case ProbeResult::Warning:
            return "ProbeWarning";
        case ProbeResult::Failure:
        case ProbeResult::Unknown:
            break;
    }
    return "Unhealthy";
}

std::string ProbeReport::eventMessage() const {
    switch (result) {
        case ProbeResult::Success:
            return {};
        case ProbeResult::Warning:
            return std::string(probeTypeName(type)) + " probe warning: " + output;
        case ProbeResult::Unknown:
            // The probe could not run at all (the kubelet's "probe errored" case).
            return std::string(probeTypeName(type)) + " probe errored: " + output;
        case ProbeResult::Failure:
            break;
    }
    return std::string(probeTypeName(type)) + " probe failed: " + output;
}

std::string ProbeReport::killMessage() const {
    if (!restart) {
        return {};
    }
    return "Container " + container + " failed " +
           (type == ProbeType::Startup ? "startup" : "liveness") + " probe, will be restarted";
}

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::array<ProbeType, 3> kTypes = {ProbeType::Startup, ProbeType::Liveness,
                                             ProbeType::Readiness};

const char* specField(ProbeType type) {
    switch (type) {
        case ProbeType::Liveness:
            return "livenessProbe";
        case ProbeType::Readiness:
            return "readinessProbe";
        case ProbeType::Startup:
            break;
    }
    return "startupProbe";
}

std::size_t indexOf(ProbeType type) {
    return static_cast<std::size_t>(type);
}

long long field(const nlohmann::json& probe, const char* name, long long fallback,
                long long minimum) {
    const auto value = probe.value(name, fallback);
    return value < minimum ? fallback : value;
}

}  // namespace

struct ProbeManager::Impl : std::enable_shared_from_this<ProbeManager::Impl> {
    struct Worker {
        Worker(asio::io_context& io, ProbeType probeType, nlohmann::json probeSpec, double scale)
            : type(probeType), spec(std::move(probeSpec)), timer(io) {
            auto seconds = [scale](long long s) {
                return std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(static_cast<double>(s) * scale));
            };
            initialDelay = seconds(field(spec, "initialDelaySeconds", 0, 0));
            period = seconds(field(spec, "periodSeconds", 10, 1));
            successThreshold = static_cast<int>(field(spec, "successThreshold", 1, 1));
            failureThreshold = static_cast<int>(field(spec, "failureThreshold", 3, 1));
            if (type != ProbeType::Readiness) {
                successThreshold = 1;  // validation insists on it for liveness and startup
            }
            if (spec.contains("terminationGracePeriodSeconds") &&
                spec["terminationGracePeriodSeconds"].is_number_integer()) {
                terminationGracePeriodSeconds =
                    spec["terminationGracePeriodSeconds"].get<std::int64_t>();
            }
            // The timeout goes to the Prober in whole seconds; scaling it would need a spec
            // rewrite, which keeps the Prober's own rounding.
            if (scale != 1.0) {
                const auto timeout = field(spec, "timeoutSeconds", 1, 1);
                spec["timeoutSeconds"] =
                    std::max(1LL, static_cast<long long>(static_cast<double>(timeout) * scale));
            }
        }

        ProbeType type;
        nlohmann::json spec;
        asio::steady_timer timer;
        Clock::duration initialDelay{};
        Clock::duration period{};
        int successThreshold = 1;
        int failureThreshold = 3;
        std::optional<std::int64_t> terminationGracePeriodSeconds;

        std::uint64_t generation = 0;  // bumped on every reset: stale timers and runs are dropped
        bool state = false;
        bool stopped = false;  // startup done, on hold after a restart, terminating, removed
        bool inFlight = false;
        ProbeResult lastResult = ProbeResult::Unknown;
        int resultRun = 0;
    };

    struct Container : std::enable_shared_from_this<Container> {
        std::string podUid;
        std::string name;
        nlohmann::json spec;
        ProbeTarget target;
        std::string containerId;
        bool running = false;
        bool terminating = false;
        std::chrono::system_clock::time_point startedAt;
        std::array<std::shared_ptr<Worker>, 3> workers;

        Worker* worker(ProbeType type) const { return workers[indexOf(type)].get(); }
        bool started() const {
            const Worker* startup = worker(ProbeType::Startup);
            return running && (startup == nullptr || startup->state);
        }
    };

    Impl(const Prober& p, ProbeCallback cb, ProbeManagerOptions o)
        : prober(p), callback(std::move(cb)), options(o), guard(asio::make_work_guard(io)) {}

    const Prober& prober;
    ProbeCallback callback;
    ProbeManagerOptions options;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard;
    std::vector<std::thread> threads;
    std::atomic<std::uint64_t> runCount{0};

    mutable std::mutex mutex;
    std::map<std::pair<std::string, std::string>, std::shared_ptr<Container>> containers;

    static std::pair<std::string, std::string> key(const std::string& pod,
                                                   const std::string& name) {
        return {pod, name};
    }

    /// Initial states of a fresh container instance: not ready, not started, alive.
    static void reset(Worker& w) {
        ++w.generation;
        w.timer.cancel();
        w.state = w.type == ProbeType::Liveness;
        w.stopped = false;
        w.lastResult = ProbeResult::Unknown;
        w.resultRun = 0;
    }

    /// The first run of a worker: initialDelaySeconds after the container started.
    void scheduleFirst(Container& c, Worker& w) {
        const auto sinceStart = std::chrono::duration_cast<Clock::duration>(
            std::chrono::system_clock::now() - c.startedAt);
        const auto wait = w.initialDelay - sinceStart;
        schedule(c, w, wait.count() > 0 ? Clock::now() + wait : Clock::now());
    }

    void schedule(Container& c, Worker& w, Clock::time_point at) {
        w.timer.expires_at(at);
        std::weak_ptr<Impl> self = shared_from_this();
        std::weak_ptr<Container> container = c.weak_from_this();
        w.timer.async_wait([self, container, type = w.type,
                            generation = w.generation](const boost::system::error_code& ec) {
            if (ec) {
                return;
            }
            if (auto impl = self.lock()) {
                if (auto strong = container.lock()) {
                    impl->run(strong, type, generation);
                }
            }
        });
    }

    /// Starts the workers that may run now: startup first; liveness and readiness once started.
    void startWorkers(Container& c) {
        if (!c.running) {
            return;
        }
        for (ProbeType type : kTypes) {
            Worker* w = c.worker(type);
            if (w == nullptr || w->stopped) {
                continue;
            }
            if (type != ProbeType::Startup && !c.started()) {
                continue;
            }
            if (c.terminating && type != ProbeType::Readiness) {
                continue;
            }
            scheduleFirst(c, *w);
        }
    }

    void run(const std::shared_ptr<Container>& c, ProbeType type, std::uint64_t generation) {
        nlohmann::json spec;
        ProbeTarget target;
        {
            std::lock_guard lock(mutex);
            const auto& w = c->workers[indexOf(type)];
            if (!w || w->generation != generation || w->stopped || w->inFlight || !c->running) {
                return;
            }
            w->inFlight = true;
            spec = w->spec;
            target = c->target;
            target.container = c->spec;
        }
        const ProbeOutcome outcome = prober.run(spec, target);
        runCount.fetch_add(1);

        ProbeReport report;
        {
            std::lock_guard lock(mutex);
            const auto& worker = c->workers[indexOf(type)];
            if (!worker) {
                return;
            }
            Worker& w = *worker;
            w.inFlight = false;
            if (w.generation != generation || w.stopped || !c->running) {
                return;
            }
            // Warning counts as Success, Unknown as Failure (the kubelet's prober.go).
            const bool success =
                outcome.result == ProbeResult::Success || outcome.result == ProbeResult::Warning;
            const ProbeResult counted = success ? ProbeResult::Success : ProbeResult::Failure;
            if (w.lastResult == counted) {
                ++w.resultRun;
            } else {
                w.lastResult = counted;
                w.resultRun = 1;
            }
            const bool before = w.state;
            // 3 failures needed, 2 seen: keep the old state; the third flips it.
            const bool failedForGood = !success && w.resultRun >= w.failureThreshold;
            if ((success && w.resultRun >= w.successThreshold) || failedForGood) {
                w.state = success;
            }
            report.podUid = c->podUid;
            report.container = c->name;
            report.containerId = c->containerId;
            report.type = type;
            report.result = outcome.result;
            report.output = outcome.message;
            report.state = w.state;
            report.changed = w.state != before;
            report.terminationGracePeriodSeconds = w.terminationGracePeriodSeconds;

            if (type != ProbeType::Readiness && failedForGood) {
                // Liveness or startup failed for good: the container is to be restarted; hold
                // until a new instance starts.
                report.restart = true;
                w.stopped = true;
                w.resultRun = 0;
            } else if (type == ProbeType::Startup && w.state) {
                // Started: the startup probe is done; liveness and readiness begin now.
                w.stopped = true;
                for (ProbeType other : {ProbeType::Liveness, ProbeType::Readiness}) {
                    if (Worker* next = c->worker(other);
                        next != nullptr && !next->stopped &&
                        !(c->terminating && other == ProbeType::Liveness)) {
                        scheduleFirst(*c, *next);
                    }
                }
            } else {
                schedule(*c, w, Clock::now() + w.period);
            }
        }
        if (callback) {
            callback(report);
        }
    }

    void stopAll(Container& c) {
        for (auto& w : c.workers) {
            if (w) {
                ++w->generation;
                w->timer.cancel();
            }
        }
    }
};

ProbeManager::ProbeManager(const Prober& prober, ProbeCallback callback,
                           ProbeManagerOptions options)
    : m_impl(std::make_shared<Impl>(prober, std::move(callback), options)) {
    const std::size_t threads = std::max<std::size_t>(1, options.threads);
    for (std::size_t i = 0; i < threads; ++i) {
        m_impl->threads.emplace_back([impl = m_impl.get()] { impl->io.run(); });
    }
}

ProbeManager::~ProbeManager() {
    {
        std::lock_guard lock(m_impl->mutex);
        for (auto& [key, container] : m_impl->containers) {
            m_impl->stopAll(*container);
        }
    }
    m_impl->guard.reset();
    m_impl->io.stop();
    for (auto& thread : m_impl->threads) {
        thread.join();
    }
    std::lock_guard lock(m_impl->mutex);
    m_impl->containers.clear();
}

void ProbeManager::addContainer(ContainerProbeSpec spec) {
    std::lock_guard lock(m_impl->mutex);
    const std::string name = spec.container.value("name", std::string());
    auto& slot = m_impl->containers[Impl::key(spec.podUid, name)];
    if (slot && slot->spec == spec.container) {
        slot->target.podIp = spec.target.podIp;
        slot->target.netnsPath = spec.target.netnsPath;
        slot->target.exec = spec.target.exec;
        return;
    }
    auto container = std::make_shared<Impl::Container>();
    container->podUid = spec.podUid;
    container->name = name;
    container->spec = spec.container;
    container->target = std::move(spec.target);
    if (slot) {
        m_impl->stopAll(*slot);
        container->containerId = slot->containerId;
        container->running = slot->running;
        container->terminating = slot->terminating;
        container->startedAt = slot->startedAt;
    }
    for (ProbeType type : kTypes) {
        const char* fieldName = specField(type);
        if (container->spec.contains(fieldName) && container->spec[fieldName].is_object()) {
            auto worker = std::make_shared<Impl::Worker>(
                m_impl->io, type, container->spec[fieldName], m_impl->options.timeScale);
            Impl::reset(*worker);
            container->workers[indexOf(type)] = std::move(worker);
        }
    }
    slot = container;
    m_impl->startWorkers(*container);
}

void ProbeManager::containerStarted(const std::string& podUid, const std::string& container,
                                    const std::string& containerId,
                                    std::chrono::system_clock::time_point startedAt) {
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->containers.find(Impl::key(podUid, container));
    if (it == m_impl->containers.end()) {
        return;
    }
    auto& c = *it->second;
    if (c.running && c.containerId == containerId) {
        return;
    }
    c.containerId = containerId;
    c.running = true;
    c.startedAt = startedAt;
    for (auto& w : c.workers) {
        if (w) {
            Impl::reset(*w);
        }
    }
    m_impl->startWorkers(c);
}

void ProbeManager::containerStopped(const std::string& podUid, const std::string& container) {
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->containers.find(Impl::key(podUid, container));
    if (it == m_impl->containers.end()) {
        return;
    }
    auto& c = *it->second;
    c.running = false;
    m_impl->stopAll(c);
    if (Impl::Worker* readiness = c.worker(ProbeType::Readiness)) {
        readiness->state = false;
    }
}

void ProbeManager::updateTarget(const std::string& podUid, const std::string& podIp,
                                const std::string& netnsPath) {
    std::lock_guard lock(m_impl->mutex);
    for (auto& [key, c] : m_impl->containers) {
        if (key.first == podUid) {
            c->target.podIp = podIp;
            c->target.netnsPath = netnsPath;
        }
    }
}

void ProbeManager::podTerminating(const std::string& podUid) {
    std::lock_guard lock(m_impl->mutex);
    for (auto& [key, c] : m_impl->containers) {
        if (key.first != podUid || c->terminating) {
            continue;
        }
        c->terminating = true;
        for (ProbeType type : {ProbeType::Liveness, ProbeType::Startup}) {
            if (Impl::Worker* w = c->worker(type)) {
                // A quiet Success, so nothing restarts the container during its grace period.
                ++w->generation;
                w->timer.cancel();
                w->stopped = true;
                w->state = true;
            }
        }
    }
}

void ProbeManager::removeContainer(const std::string& podUid, const std::string& container) {
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->containers.find(Impl::key(podUid, container));
    if (it != m_impl->containers.end()) {
        m_impl->stopAll(*it->second);
        m_impl->containers.erase(it);
    }
}

void ProbeManager::removePod(const std::string& podUid) {
    std::lock_guard lock(m_impl->mutex);
    for (auto it = m_impl->containers.begin(); it != m_impl->containers.end();) {
        if (it->first.first == podUid) {
            m_impl->stopAll(*it->second);
            it = m_impl->containers.erase(it);
        } else {
            ++it;
        }
    }
}

std::optional<bool> ProbeManager::ready(const std::string& podUid,
                                        const std::string& container) const {
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->containers.find(Impl::key(podUid, container));
    if (it == m_impl->containers.end()) {
        return std::nullopt;
    }
    const auto& c = *it->second;
    if (!c.running) {
        return false;
    }
    const Impl::Worker* readiness = c.worker(ProbeType::Readiness);
    return readiness == nullptr ? c.started() : c.started() && readiness->state;
}

std::optional<bool> ProbeManager::started(const std::string& podUid,
                                          const std::string& container) const {
    std::lock_guard lock(m_impl->mutex);
    auto it = m_impl->containers.find(Impl::key(podUid, container));
    if (it == m_impl->containers.end()) {
        return std::nullopt;
    }
    return it->second->started();
}

std::uint64_t ProbeManager::runs() const {
    return m_impl->runCount.load();
}

}  // namespace slipway::agent::probes
