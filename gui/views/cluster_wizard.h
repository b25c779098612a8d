// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWizard>

class QCheckBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSlider;
class QSpinBox;

namespace slipway::gui {

class ClusterWizardModel;

/// The *Create cluster* wizard: three pages (name and driver, resources, example apps) over a
/// ClusterWizardModel, which holds every value and rule; the widgets only show it and pass
/// edits on. Finish is enabled when the model says the cluster can be created; accepted()
/// then means "create model->spec()".
class ClusterWizard : public QWizard {
    Q_OBJECT

public:
    enum Page { NamePage, ResourcesPage, ExamplesPage };

    /// `model` is not owned and must outlive the wizard.
    explicit ClusterWizard(ClusterWizardModel* model, QWidget* parent = nullptr);
    ~ClusterWizard() override;

    ClusterWizardModel* model() const { return m_model; }

private:
    void showModel();
    QWizardPage* makeNamePage();
    QWizardPage* makeResourcesPage();
    QWizardPage* makeExamplesPage();

    ClusterWizardModel* m_model;
    QLineEdit* m_name = nullptr;
    QLabel* m_nameError = nullptr;
    QRadioButton* m_libvirt = nullptr;
    QLabel* m_libvirtReason = nullptr;
    QRadioButton* m_local = nullptr;
    QLabel* m_localReason = nullptr;
    QSlider* m_cpus = nullptr;
    QLabel* m_cpusValue = nullptr;
    QSlider* m_memory = nullptr;
    QLabel* m_memoryValue = nullptr;
    QSlider* m_disk = nullptr;
    QLabel* m_diskValue = nullptr;
    QSpinBox* m_nodes = nullptr;
    QLabel* m_nodesHint = nullptr;
    QLabel* m_resourcesError = nullptr;
    QList<QCheckBox*> m_examples;
    QLabel* m_summary = nullptr;
    bool m_updating = false;
};

}  // namespace slipway::gui
