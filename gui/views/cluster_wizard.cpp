// SPDX-License-Identifier: Apache-2.0
#include "gui/views/cluster_wizard.h"

#include <functional>

#include <QCheckBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include "gui/models/cluster_list_model.h"
#include "gui/models/cluster_wizard_model.h"

namespace slipway::gui {

namespace {

/// A page whose Next/Finish follows a rule of the model.
class RulePage : public QWizardPage {
public:
    explicit RulePage(std::function<bool()> complete) : m_complete(std::move(complete)) {}
    bool isComplete() const override { return m_complete(); }
    void changed() { emit completeChanged(); }

private:
    std::function<bool()> m_complete;
};

QLabel* hintLabel(QWidget* parent, const char* objectName, bool error) {
    auto* label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(objectName));
    label->setWordWrap(true);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText,
                     error ? QColor(0xb0, 0x24, 0x18) : palette.color(QPalette::PlaceholderText));
    label->setPalette(palette);
    return label;
}

}  // namespace

ClusterWizard::ClusterWizard(ClusterWizardModel* model, QWidget* parent)
    : QWizard(parent), m_model(model) {
    setWindowTitle(tr("Create Cluster"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setButtonText(QWizard::FinishButton, tr("Create"));
    setPage(NamePage, makeNamePage());
    setPage(ResourcesPage, makeResourcesPage());
    setPage(ExamplesPage, makeExamplesPage());
    connect(m_model, &ClusterWizardModel::changed, this, &ClusterWizard::showModel);
    showModel();
    resize(640, 520);
}

ClusterWizard::~ClusterWizard() = default;

QWizardPage* ClusterWizard::makeNamePage() {
    auto* page = new RulePage([this] {
        return m_model->nameError().isEmpty() && m_model->isDriverAvailable(m_model->driver());
    });
    page->setTitle(tr("Name and driver"));
    page->setSubTitle(
        tr("The name is used for the cluster's folder, its VMs and its kubectl "
           "context."));
    connect(m_model, &ClusterWizardModel::changed, page, &RulePage::changed);

    m_name = new QLineEdit(page);
    m_name->setObjectName(QStringLiteral("nameEdit"));
    m_name->setPlaceholderText(QStringLiteral("dev"));
    m_nameError = hintLabel(page, "nameError", true);
    connect(m_name, &QLineEdit::textEdited, m_model, &ClusterWizardModel::setName);

    m_libvirt = new QRadioButton(tr("Virtual machine (libvirt)"), page);
    m_libvirt->setObjectName(QStringLiteral("libvirtDriver"));
    m_libvirtReason = hintLabel(page, "libvirtReason", false);
    m_local = new QRadioButton(tr("Local process (slipwayd on this machine)"), page);
    m_local->setObjectName(QStringLiteral("localDriver"));
    m_localReason = hintLabel(page, "localReason", false);
    // A driver's reason sits under its radio button, indented like the button's text.
    m_libvirtReason->setContentsMargins(24, 0, 0, 4);
    m_localReason->setContentsMargins(24, 0, 0, 4);
    connect(m_libvirt, &QRadioButton::toggled, this, [this](bool on) {
        if (on && !m_updating) {
            m_model->setDriver(vm::DriverKind::Libvirt);
        }
    });
    connect(m_local, &QRadioButton::toggled, this, [this](bool on) {
        if (on && !m_updating) {
            m_model->setDriver(vm::DriverKind::Local);
        }
    });

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(new QLabel(tr("Name:"), page));
    layout->addWidget(m_name);
    layout->addWidget(m_nameError);
    layout->addSpacing(12);
    layout->addWidget(new QLabel(tr("Driver:"), page));
    layout->addWidget(m_libvirt);
    layout->addWidget(m_libvirtReason);
    layout->addWidget(m_local);
    layout->addWidget(m_localReason);
    layout->addStretch();
    return page;
}

QWizardPage* ClusterWizard::makeResourcesPage() {
    auto* page = new RulePage([this] { return m_model->resourcesError().isEmpty(); });
    page->setTitle(tr("Resources"));
    page->setSubTitle(tr("What each node may use, up to what this machine has."));
    connect(m_model, &ClusterWizardModel::changed, page, &RulePage::changed);

    const auto slider = [page](const char* name) {
        auto* s = new QSlider(Qt::Horizontal, page);
        s->setObjectName(QString::fromLatin1(name));
        s->setTickPosition(QSlider::TicksBelow);
        return s;
    };
    m_cpus = slider("cpusSlider");
    m_memory = slider("memorySlider");
    m_disk = slider("diskSlider");
    m_cpusValue = new QLabel(page);
    m_memoryValue = new QLabel(page);
    m_diskValue = new QLabel(page);
    for (QLabel* value : {m_cpusValue, m_memoryValue, m_diskValue}) {
        value->setMinimumWidth(
            fontMetrics().horizontalAdvance(QStringLiteral("000.0 GiB of 000 GiB")));
    }
    connect(m_cpus, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating) {
            m_model->setCpus(value);
        }
    });
    // The memory slider counts steps of kMemoryStepMiB.
    connect(m_memory, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating) {
            m_model->setMemoryMiB(static_cast<std::int64_t>(value) *
                                  ClusterWizardModel::kMemoryStepMiB);
        }
    });
    connect(m_disk, &QSlider::valueChanged, this, [this](int value) {
        if (!m_updating) {
            m_model->setDiskGiB(value);
        }
    });
    m_nodes = new QSpinBox(page);
    m_nodes->setObjectName(QStringLiteral("nodesSpin"));
    connect(m_nodes, &QSpinBox::valueChanged, this, [this](int value) {
        if (!m_updating) {
            m_model->setNodes(value);
        }
    });
    m_nodesHint = hintLabel(page, "nodesHint", false);
    m_resourcesError = hintLabel(page, "resourcesError", true);

    auto* grid = new QGridLayout(page);
    int row = 0;
    const auto addRow = [&](const QString& label, QWidget* control, QWidget* value) {
        grid->addWidget(new QLabel(label, page), row, 0);
        grid->addWidget(control, row, 1);
        if (value != nullptr) {
            grid->addWidget(value, row, 2);
        }
        ++row;
    };
    addRow(tr("CPUs:"), m_cpus, m_cpusValue);
    addRow(tr("Memory:"), m_memory, m_memoryValue);
    addRow(tr("Disk:"), m_disk, m_diskValue);
    addRow(tr("Nodes:"), m_nodes, nullptr);
    grid->addWidget(m_nodesHint, row++, 1, 1, 2);
    grid->addWidget(m_resourcesError, row++, 0, 1, 3);
    grid->setRowStretch(row, 1);
    grid->setColumnStretch(1, 1);
    return page;
}

QWizardPage* ClusterWizard::makeExamplesPage() {
    auto* page = new RulePage([this] { return m_model->canCreate(); });
    page->setTitle(tr("Example apps"));
    page->setSubTitle(tr("Deployed once the cluster is up, as kubectl apply would."));
    page->setFinalPage(true);
    connect(m_model, &ClusterWizardModel::changed, page, &RulePage::changed);
    auto* layout = new QVBoxLayout(page);
    for (const ExampleApp& app : m_model->examples()) {
        auto* box = new QCheckBox(app.title, page);
        box->setObjectName(QStringLiteral("example-") + app.id);
        box->setProperty("exampleId", app.id);
        connect(box, &QCheckBox::toggled, this, [this, id = app.id](bool on) {
            if (!m_updating) {
                m_model->setExampleSelected(id, on);
            }
        });
        auto* description = hintLabel(page, "exampleDescription", false);
        description->setText(app.description);
        description->setContentsMargins(24, 0, 0, 6);
        layout->addWidget(box);
        layout->addWidget(description);
        m_examples << box;
    }
    layout->addSpacing(12);
    m_summary = new QLabel(page);
    m_summary->setObjectName(QStringLiteral("summary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    layout->addStretch();
    return page;
}

void ClusterWizard::showModel() {
    m_updating = true;
    const ClusterWizardModel& model = *m_model;
    if (m_name->text() != model.name()) {
        m_name->setText(model.name());
    }
    m_nameError->setText(model.nameError());
    m_nameError->setVisible(!model.nameError().isEmpty());

    const auto showDriver = [&model](vm::DriverKind kind, QRadioButton* button, QLabel* reason) {
        button->setEnabled(model.isDriverAvailable(kind));
        button->setChecked(model.driver() == kind);
        const QString why = model.driverUnavailableReason(kind);
        reason->setText(why);
        reason->setVisible(!why.isEmpty());
    };
    showDriver(vm::DriverKind::Libvirt, m_libvirt, m_libvirtReason);
    showDriver(vm::DriverKind::Local, m_local, m_localReason);

    m_cpus->setRange(ClusterWizardModel::kMinCpus, model.maxCpus());
    m_cpus->setValue(model.cpus());
    m_cpusValue->setText(tr("%1 of %2").arg(model.cpus()).arg(model.maxCpus()));
    const auto step = ClusterWizardModel::kMemoryStepMiB;
    m_memory->setRange(static_cast<int>(ClusterWizardModel::kMinMemoryMiB / step),
                       static_cast<int>(model.maxMemoryMiB() / step));
    m_memory->setValue(static_cast<int>(model.memoryMiB() / step));
    m_memoryValue->setText(tr("%1 of %2")
                               .arg(ClusterListModel::formatMemory(model.memoryMiB()),
                                    ClusterListModel::formatMemory(model.maxMemoryMiB())));
    m_disk->setRange(static_cast<int>(ClusterWizardModel::kMinDiskGiB),
                     static_cast<int>(model.maxDiskGiB()));
    m_disk->setValue(static_cast<int>(model.diskGiB()));
    m_diskValue->setText(tr("%1 GiB of %2 GiB free").arg(model.diskGiB()).arg(model.maxDiskGiB()));
    m_nodes->setRange(1, model.maxNodes());
    m_nodes->setValue(model.nodes());
    m_nodes->setEnabled(model.nodesEditable() && model.maxNodes() > 1);
    m_nodesHint->setText(model.nodesHint());
    m_nodesHint->setVisible(!model.nodesHint().isEmpty());
    m_resourcesError->setText(model.resourcesError());
    m_resourcesError->setVisible(!model.resourcesError().isEmpty());

    for (QCheckBox* box : m_examples) {
        box->setChecked(model.isExampleSelected(box->property("exampleId").toString()));
    }
    const QString blocking = model.blockingReason();
    const vm::ClusterSpec spec = model.spec();
    m_summary->setText(blocking.isEmpty()
                           ? tr("\"%1\": %2, %3 CPU(s), %4, %5 GiB disk, %6 node(s).")
                                 .arg(model.name(), spec.driver == vm::DriverKind::Libvirt
                                                        ? tr("libvirt VM")
                                                        : tr("local process"))
                                 .arg(spec.cpus)
                                 .arg(ClusterListModel::formatMemory(spec.memoryMiB))
                                 .arg(spec.diskGiB)
                                 .arg(spec.nodes)
                           : blocking);
    m_updating = false;
}

}  // namespace slipway::gui
