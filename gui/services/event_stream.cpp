// SPDX-License-Identifier: Apache-2.0
#include "gui/services/event_stream.h"

#include <chrono>
#include <mutex>

#include <QMetaObject>
#include <QThreadPool>
#include <QTimer>

#include "engine/client/informer.h"
#include "engine/client/resource_ref.h"
#include "gui/services/api_session.h"

namespace slipway::gui {

namespace {

constexpr std::chrono::milliseconds kBatchInterval{100};

}  // namespace

struct EventStream::Shared {
    explicit Shared(ConnectionTarget target) : session(std::move(target)) {}

    ApiSession session;
    std::mutex mutex;
    EventStream* receiver = nullptr;  // guarded by mutex
    EventChanges pending;             // guarded by mutex
    bool flushScheduled = false;      // guarded by mutex

    std::mutex lifecycle;
    bool stopped = false;                        // guarded by lifecycle
    std::shared_ptr<client::Informer> informer;  // guarded by lifecycle

    void record(bool deleted, const client::ObjectPtr& object) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr || !object) {
            return;
        }
        pending.push_back({deleted, object});
        if (flushScheduled) {
            return;
        }
        flushScheduled = true;
        EventStream* target = receiver;
        QMetaObject::invokeMethod(
            target, [target] { QTimer::singleShot(kBatchInterval, target, &EventStream::flush); },
            Qt::QueuedConnection);
    }

    template <typename Function>
    void post(Function function) {
        const std::lock_guard lock(mutex);
        if (receiver == nullptr) {
            return;
        }
        EventStream* target = receiver;
        QMetaObject::invokeMethod(
            target, [target, function = std::move(function)]() mutable { function(*target); },
            Qt::QueuedConnection);
    }
};

EventStream::EventStream(ConnectionTarget target, QObject* parent)
    : QObject(parent), m_shared(std::make_shared<Shared>(std::move(target))) {
    m_shared->receiver = this;
}

EventStream::~EventStream() {
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->receiver = nullptr;
        m_shared->pending.clear();
    }
    QThreadPool::globalInstance()->start([shared = m_shared] {
        std::shared_ptr<client::Informer> informer;
        {
            const std::lock_guard lock(shared->lifecycle);
            shared->stopped = true;
            informer = std::move(shared->informer);
        }
        if (informer) {
            informer->stop();  // also ends the starting task's waitForSync
        }
    });
}

void EventStream::start() {
    if (m_started) {
        return;
    }
    m_started = true;
    QThreadPool::globalInstance()->start([shared = m_shared] {
        auto api = shared->session.client();
        if (!api.ok()) {
            const QString message = QString::fromStdString(api.error().message());
            shared->post([message](EventStream& s) { emit s.errorOccurred(message); });
            return;
        }
        // Shared with the teardown: whoever lets go last destroys it.
        std::shared_ptr<client::Informer> informer;
        {
            const std::lock_guard lock(shared->lifecycle);
            if (shared->stopped) {
                return;
            }
            client::InformerOptions options(client::resources::events());
            options.transform = [](nlohmann::json object) {
                if (auto m = object.find("metadata"); m != object.end() && m->is_object()) {
                    m->erase("managedFields");
                }
                return object;
            };
            // The informer keeps a reference to the client, which the session keeps alive.
            informer = std::make_shared<client::Informer>(*api.value(), options);
            shared->informer = informer;
            Shared* raw = shared.get();
            informer->addEventHandler(client::EventHandlers{
                [raw](const client::ObjectPtr& object) { raw->record(false, object); },
                [raw](const client::ObjectPtr&, const client::ObjectPtr& object) {
                    raw->record(false, object);
                },
                [raw](const client::ObjectPtr& object) { raw->record(true, object); }});
            informer->start();
        }
        if (informer->waitForSync(std::chrono::minutes(2))) {
            shared->post([](EventStream& s) {
                s.flush();
                emit s.synced();
            });
        }
    });
}

void EventStream::flush() {
    EventChanges batch;
    {
        const std::lock_guard lock(m_shared->mutex);
        m_shared->flushScheduled = false;
        batch.swap(m_shared->pending);
    }
    if (!batch.empty()) {
        emit eventsReceived(batch);
    }
}

}  // namespace slipway::gui
