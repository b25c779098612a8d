<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ExampleApps</name>
    <message>
        <location filename="../gui/models/example_apps.cpp" line="+32"/>
        <source>Hello web app</source>
        <translation>Hello-Web-App</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Deployment of two slipway.local/hello:1 replicas and a Service hello.</source>
        <translation>Ein Deployment mit zwei Replikaten von slipway.local/hello:1 und ein Service hello.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Countdown Job</source>
        <translation>Countdown-Job</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Job whose busybox container counts down from 10 and ends.</source>
        <translation>Ein Job, dessen busybox-Container von 10 herunterzählt und dann endet.</translation>
    </message>
</context>
<context>
    <name>TerminalLauncher</name>
    <message>
        <location filename="../gui/services/terminal_launcher.cpp" line="+53"/>
        <source>No terminal emulator found: set $TERMINAL or install one of %1.</source>
        <translation>Kein Terminalemulator gefunden: Setzen Sie $TERMINAL oder installieren Sie einen von %1.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not start %1: %2</source>
        <translation>%1 konnte nicht gestartet werden: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+166"/>
        <source>Create and watch local Kubernetes-style clusters.</source>
        <translation>Lokale Kubernetes-artige Cluster erstellen und beobachten.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep clusters in &lt;dir&gt; instead of the default folder.</source>
        <translation>Cluster in &lt;Ordner&gt; statt im Standardordner ablegen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dir</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open the topology of the cluster in &lt;file&gt;.</source>
        <translation>Die Topologie des Clusters in &lt;Datei&gt; öffnen.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>file</source>
        <translation>Datei</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>With --kubeconfig: use &lt;name&gt; instead of the current context.</source>
        <translation>Mit --kubeconfig: &lt;Name&gt; statt des aktuellen Kontexts verwenden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &lt;file&gt; in the manifest editor.</source>
        <translation>&lt;Datei&gt; im Manifest-Editor öffnen.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use a dark colour scheme whatever the desktop&apos;s (as does SLIPWAY_STUDIO_DARK=1).</source>
        <translation>Unabhängig von der Arbeitsumgebung ein dunkles Farbschema verwenden (wie SLIPWAY_STUDIO_DARK=1).</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ApplyService</name>
    <message>
        <location filename="../gui/services/apply_service.cpp" line="+171"/>
        <source> (server dry run)</source>
        <translation> (Probelauf auf dem Server)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>metadata.name is required</source>
        <translation>metadata.name ist erforderlich</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>created</source>
        <translation>erstellt</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unchanged</source>
        <translation>unverändert</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>configured</source>
        <translation>konfiguriert</translation>
    </message>
</context>
<context>
    <name>slipway::gui::BootLogDialog</name>
    <message>
        <location filename="../gui/views/boot_log_dialog.cpp" line="+20"/>
        <source>Boot Log of %1</source>
        <translation>Boot-Log von %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reading…</source>
        <translation>Wird gelesen…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Following the file; new lines appear as they are written.</source>
        <translation>Die Datei wird verfolgt; neue Zeilen erscheinen, sobald sie geschrieben werden.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The log does not exist yet; it appears once the machine starts.</source>
        <translation>Das Log existiert noch nicht; es erscheint, sobald die Maschine startet.</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterActions</name>
    <message>
        <location filename="../gui/app/cluster_actions.cpp" line="+72"/>
        <source>&quot;%1&quot; is running; example apps: %2</source>
        <translation>„%1“ läuft; Beispiel-Apps: %2</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Creating “%1”</source>
        <translation>„%1“ wird erstellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting “%1”</source>
        <translation>„%1“ wird gestartet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopping “%1”</source>
        <translation>„%1“ wird gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing “%1”</source>
        <translation>„%1“ wird angehalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resuming “%1”</source>
        <translation>„%1“ wird fortgesetzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleting “%1”</source>
        <translation>„%1“ wird gelöscht</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Open Terminal Here</source>
        <translation>Terminal hier öffnen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Opened a terminal for “%1” with KUBECONFIG=%2</source>
        <translation>Terminal für „%1“ mit KUBECONFIG=%2 geöffnet</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+72"/>
        <source>Created %1</source>
        <translation>Erstellt am %1</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Driver</source>
        <translation>Treiber</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPUs</source>
        <translation>CPUs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API address</source>
        <translation>API-Adresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting</source>
        <translation>Startet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterManagerView</name>
    <message>
        <location filename="../gui/views/cluster_manager_view.cpp" line="+46"/>
        <source>Clusters</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Create Cluster…</source>
        <translation>Cluster erstellen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a cluster with the wizard</source>
        <translation>Einen Cluster mit dem Assistenten erstellen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start the selected cluster</source>
        <translation>Den ausgewählten Cluster starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut the selected cluster down (its data is kept)</source>
        <translation>Den ausgewählten Cluster herunterfahren (seine Daten bleiben erhalten)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze the selected cluster where it is; Resume lets it go on</source>
        <translation>Den ausgewählten Cluster in seinem aktuellen Zustand einfrieren; „Fortsetzen“ lässt ihn weiterlaufen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Let the paused cluster run</source>
        <translation>Den angehaltenen Cluster weiterlaufen lassen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the selected cluster and delete it with all its data</source>
        <translation>Den ausgewählten Cluster stoppen und mit allen seinen Daten löschen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy Kubeconfig</source>
        <translation>Kubeconfig kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy an export KUBECONFIG=… line for the selected cluster: paste it into a terminal and kubectl uses that cluster</source>
        <translation>Eine Zeile „export KUBECONFIG=…“ für den ausgewählten Cluster kopieren: In ein Terminal eingefügt, lässt sie kubectl diesen Cluster verwenden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Terminal Here</source>
        <translation>Terminal hier öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a terminal in the cluster&apos;s folder with KUBECONFIG set to its kubeconfig</source>
        <translation>Ein Terminal im Ordner des Clusters öffnen, mit KUBECONFIG auf dessen Kubeconfig gesetzt</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Copied &quot;%1&quot;: paste it into a terminal to use %2 with kubectl</source>
        <translation>„%1“ kopiert: Fügen Sie es in ein Terminal ein, um %2 mit kubectl zu verwenden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete Cluster</source>
        <translation>Cluster löschen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the cluster &quot;%1&quot;?</source>
        <translation>Den Cluster „%1“ löschen?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its machines are stopped and its folder, with every object and volume in it, is removed. This cannot be undone.</source>
        <translation>Seine Maschinen werden gestoppt und sein Ordner wird mit allen darin enthaltenen Objekten und Volumes entfernt. Dies kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>Noch keine Cluster — führen Sie %1 aus oder verwenden Sie „Cluster erstellen“</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterService</name>
    <message>
        <location filename="../gui/services/cluster_service.cpp" line="+158"/>
        <location line="+98"/>
        <source>Another operation on &quot;%1&quot; is still running.</source>
        <translation>Ein anderer Vorgang für „%1“ läuft noch.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Deploying the example apps</source>
        <translation>Beispiel-Apps werden bereitgestellt</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+9"/>
        <source>The cluster runs, but deploying the examples failed: %1</source>
        <translation>Der Cluster läuft, aber das Bereitstellen der Beispiele ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterTrayIcon</name>
    <message>
        <location filename="../gui/views/cluster_tray_icon.cpp" line="+52"/>
        <source>Slipway: no clusters</source>
        <translation>Slipway: keine Cluster</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Slipway: %1 of %n cluster(s) running</source>
        <translation>
            <numerusform>Slipway: %1 von %n Cluster in Betrieb</numerusform>
            <numerusform>Slipway: %1 von %n Clustern in Betrieb</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Show Slipway Studio</source>
        <translation>Slipway Studio anzeigen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 — %2</source>
        <extracomment>A cluster in the tray menu: its name and state (&quot;dev — Running&quot;).</extracomment>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizard</name>
    <message>
        <location filename="../gui/views/cluster_wizard.cpp" line="+50"/>
        <source>Create Cluster</source>
        <translation>Cluster erstellen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Name and driver</source>
        <translation>Name und Treiber</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name is used for the cluster&apos;s folder, its VMs and its kubectl context.</source>
        <translation>Der Name wird für den Ordner des Clusters, seine VMs und seinen kubectl-Kontext verwendet.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Virtual machine (libvirt)</source>
        <translation>Virtuelle Maschine (libvirt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Local process (slipwayd on this machine)</source>
        <translation>Lokaler Prozess (slipwayd auf diesem Rechner)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Driver:</source>
        <translation>Treiber:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resources</source>
        <translation>Ressourcen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What each node may use, up to what this machine has.</source>
        <translation>Was jeder Knoten nutzen darf, höchstens so viel, wie dieser Rechner hat.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>CPUs:</source>
        <translation>CPUs:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory:</source>
        <translation>Arbeitsspeicher:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk:</source>
        <translation>Festplatte:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nodes:</source>
        <translation>Knoten:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Example apps</source>
        <translation>Beispiel-Apps</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployed once the cluster is up, as kubectl apply would.</source>
        <translation>Werden bereitgestellt, sobald der Cluster läuft, so wie kubectl apply es tun würde.</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+5"/>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 GiB of %2 GiB free</source>
        <translation>%1 GiB von %2 GiB frei</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&quot;%1&quot;: %2, %3 CPU(s), %4, %5 GiB disk, %6 node(s).</source>
        <translation>„%1“: %2, %3 CPU(s), %4, %5 GiB Festplatte, %6 Knoten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libvirt VM</source>
        <translation>libvirt-VM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>local process</source>
        <translation>lokaler Prozess</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizardModel</name>
    <message>
        <location filename="../gui/models/cluster_wizard_model.cpp" line="+91"/>
        <source>Enter a name for the cluster.</source>
        <translation>Geben Sie einen Namen für den Cluster ein.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A name has at most 63 characters (this one has %1).</source>
        <translation>Ein Name hat höchstens 63 Zeichen (dieser hat %1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use lower-case letters: &quot;%1&quot; is not allowed.</source>
        <translation>Verwenden Sie Kleinbuchstaben: „%1“ ist nicht erlaubt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only lower-case letters, digits and &apos;-&apos; are allowed, not &quot;%1&quot;.</source>
        <translation>Nur Kleinbuchstaben, Ziffern und „-“ sind erlaubt, nicht „%1“.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The name must start and end with a letter or a digit.</source>
        <translation>Der Name muss mit einem Buchstaben oder einer Ziffer beginnen und enden.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A cluster called &quot;%1&quot; already exists.</source>
        <translation>Ein Cluster namens „%1“ existiert bereits.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Checking whether this machine can run it…</source>
        <translation>Prüfe, ob dieser Rechner ihn ausführen kann…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>This machine has %1 MiB of memory; a cluster needs at least %2 MiB.</source>
        <translation>Dieser Rechner hat %1 MiB Arbeitsspeicher; ein Cluster braucht mindestens %2 MiB.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only %1 GiB are free where clusters are kept; a cluster needs at least %2 GiB.</source>
        <translation>Am Speicherort der Cluster sind nur %1 GiB frei; ein Cluster braucht mindestens %2 GiB.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A local-process cluster has one node: this machine.</source>
        <translation>Ein Cluster als lokaler Prozess hat einen Knoten: diesen Rechner.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Checking what this machine has…</source>
        <translation>Prüfe die Ausstattung dieses Rechners…</translation>
    </message>
</context>
<context>
    <name>slipway::gui::EditorTabs</name>
    <message>
        <location filename="../gui/app/editor_tabs.cpp" line="+79"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Applied to %1</source>
        <translation>Auf %1 angewendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dry run on %1</source>
        <translation>Probelauf auf %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff against %1</source>
        <translation>Vergleich mit %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No differences: the cluster matches the manifest.</source>
        <translation>Keine Unterschiede: Der Cluster entspricht dem Manifest.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not reach the cluster</source>
        <translation>Der Cluster ist nicht erreichbar</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Manifest: %1</source>
        <translation>Manifest: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open Manifest</source>
        <translation>Manifest öffnen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>YAML-Manifeste (*.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No recent manifests</source>
        <translation>Keine zuletzt geöffneten Manifeste</translation>
    </message>
</context>
<context>
    <name>slipway::gui::EventModel</name>
    <message>
        <location filename="../gui/models/event_model.cpp" line="+45"/>
        <source>&lt;unknown&gt;</source>
        <translation>&lt;unbekannt&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1m</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Object</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Count</source>
        <translation>Anzahl</translation>
    </message>
    <message>
        <location line="+117"/>
        <source> No node has enough free CPU for the pod&apos;s requests.</source>
        <translation> Kein Knoten hat genug freie CPU für die Anforderungen (Requests) des Pods.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> No node has enough free memory for the pod&apos;s requests.</source>
        <translation> Kein Knoten hat genug freien Arbeitsspeicher für die Anforderungen (Requests) des Pods.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> The nodes carry taints the pod does not tolerate.</source>
        <translation> Die Knoten haben Taints, die der Pod nicht toleriert.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> No node matches the pod&apos;s node selector or affinity rules.</source>
        <translation> Kein Knoten passt zum Node-Selector oder zu den Affinitätsregeln des Pods.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The scheduler found no node to run this pod on, so it stays Pending.</source>
        <translation>Der Scheduler hat keinen Knoten gefunden, auf dem dieser Pod laufen kann; er bleibt daher Pending.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> Lower its resource requests, add or free nodes, or relax its constraints; the scheduler keeps trying.</source>
        <translation> Verringern Sie die Ressourcenanforderungen, fügen Sie Knoten hinzu oder geben Sie welche frei, oder lockern Sie die Einschränkungen; der Scheduler versucht es weiter.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pulling the image failed several times; the node now waits longer and longer before trying again (ImagePullBackOff). Check the image name, tag and registry credentials.</source>
        <translation>Das Image konnte mehrmals nicht geladen werden; der Knoten wartet nun immer länger, bevor er es erneut versucht (ImagePullBackOff). Prüfen Sie Image-Name, Tag und Zugangsdaten der Registry.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container keeps exiting and the node waits longer and longer before restarting it (CrashLoopBackOff). Look at the container&apos;s logs, including those of its previous run, to see why it exits.</source>
        <translation>Der Container beendet sich immer wieder, und der Knoten wartet immer länger, bevor er ihn neu startet (CrashLoopBackOff). Sehen Sie in den Logs des Containers nach, auch in denen des vorherigen Laufs, warum er sich beendet.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A probe failed. A failing readiness probe takes the pod out of its Services&apos; endpoints; a failing liveness probe gets the container restarted. Check the probe&apos;s path, port and timings against what the application does.</source>
        <translation>Eine Probe ist fehlgeschlagen. Eine fehlschlagende Readiness-Probe nimmt den Pod aus den Endpunkten seiner Services; eine fehlschlagende Liveness-Probe führt zum Neustart des Containers. Gleichen Sie Pfad, Port und Zeiten der Probe mit dem Verhalten der Anwendung ab.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The Deployment controller changed how many pods a ReplicaSet should have. During a rollout it scales the new ReplicaSet up and the old one down, step by step, within maxSurge and maxUnavailable.</source>
        <translation>Der Deployment-Controller hat die Soll-Anzahl der Pods eines ReplicaSets geändert. Während eines Rollouts skaliert er das neue ReplicaSet Schritt für Schritt hoch und das alte herunter, innerhalb von maxSurge und maxUnavailable.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is stopping this container: the pod is being deleted (scale down, rollout, eviction) or a liveness probe failed. It gets its grace period to shut down cleanly.</source>
        <translation>Der Knoten stoppt diesen Container: Der Pod wird gelöscht (Herunterskalieren, Rollout, Verdrängung) oder eine Liveness-Probe ist fehlgeschlagen. Er erhält seine Schonfrist, um sauber herunterzufahren.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is downloading the container image.</source>
        <translation>Der Knoten lädt das Container-Image herunter.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container image is on the node and the container can be created.</source>
        <translation>Das Container-Image liegt auf dem Knoten, der Container kann erstellt werden.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node could not download the container image: the name or tag may be wrong, the registry unreachable, or credentials (imagePullSecrets) missing. The node retries with growing delays.</source>
        <translation>Der Knoten konnte das Container-Image nicht herunterladen: Name oder Tag sind vielleicht falsch, die Registry ist nicht erreichbar oder Zugangsdaten (imagePullSecrets) fehlen. Der Knoten versucht es mit wachsenden Abständen erneut.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting the container failed; the message says why.</source>
        <translation>Der Container konnte nicht gestartet werden; die Meldung nennt den Grund.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller created a pod (or Job) it owns, to reach the number it wants.</source>
        <translation>Ein Controller hat einen eigenen Pod (oder Job) erstellt, um die gewünschte Anzahl zu erreichen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller deleted a pod it owns, because it has more than it wants.</source>
        <translation>Ein Controller hat einen eigenen Pod gelöscht, weil er mehr hat als gewünscht.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller could not create a pod: a quota, a policy or an invalid template refused it. The message names the cause.</source>
        <translation>Ein Controller konnte keinen Pod erstellen: Ein Kontingent, eine Richtlinie oder ein ungültiges Template hat es verhindert. Die Meldung nennt die Ursache.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Deployment made no progress for progressDeadlineSeconds: its new pods do not become available. The rollout is stuck (not rolled back); fix the template or undo to an earlier revision.</source>
        <translation>Das Deployment hat innerhalb von progressDeadlineSeconds keinen Fortschritt gemacht: Seine neuen Pods werden nicht verfügbar. Der Rollout hängt fest (er wird nicht zurückgerollt); korrigieren Sie das Template oder kehren Sie zu einer früheren Revision zurück.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The scheduler chose a node for the pod; the node now starts it.</source>
        <translation>Der Scheduler hat einen Knoten für den Pod gewählt; der Knoten startet ihn jetzt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node created the container.</source>
        <translation>Der Knoten hat den Container erstellt.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container&apos;s process is running.</source>
        <translation>Der Prozess des Containers läuft.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A volume of the pod could not be mounted, so its containers cannot start. A missing ConfigMap, Secret or PersistentVolumeClaim is the usual cause.</source>
        <translation>Ein Volume des Pods konnte nicht eingehängt werden, daher können seine Container nicht starten. Meist fehlt eine ConfigMap, ein Secret oder ein PersistentVolumeClaim.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container used more memory than its limit and was killed. Raise the memory limit or reduce what the application uses.</source>
        <translation>Der Container hat mehr Arbeitsspeicher verbraucht als sein Limit erlaubt und wurde beendet. Erhöhen Sie das Speicherlimit oder senken Sie den Verbrauch der Anwendung.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node removed the pod to reclaim a scarce resource (memory, disk).</source>
        <translation>Der Knoten hat den Pod entfernt, um eine knappe Ressource (Arbeitsspeicher, Festplatte) zurückzugewinnen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node stopped reporting that it is healthy; its pods may be evicted if it does not come back.</source>
        <translation>Der Knoten meldet nicht mehr, dass er funktionsfähig ist; seine Pods werden möglicherweise verdrängt, wenn er nicht zurückkehrt.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node joined the cluster or became ready to run pods.</source>
        <translation>Der Knoten ist dem Cluster beigetreten oder bereit, Pods auszuführen.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Job&apos;s pods finished successfully.</source>
        <translation>Die Pods des Jobs wurden erfolgreich abgeschlossen.</translation>
    </message>
</context>
<context>
    <name>slipway::gui::EventsPage</name>
    <message>
        <location filename="../gui/views/events_page.cpp" line="+70"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>Warnungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by reason, message or object…</source>
        <translation>Nach Grund, Meldung oder Objekt filtern…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter text</source>
        <translation>Filtertext</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+27"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>The cluster&apos;s events, newest first, with an explanation of the selected one.</source>
        <translation>Die Ereignisse des Clusters, die neuesten zuerst, mit einer Erklärung des ausgewählten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explanation</source>
        <translation>Erklärung</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fil&amp;ter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>All namespaces</source>
        <translation>Alle Namespaces</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All kinds</source>
        <translation>Alle Kinds</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Select an event to see what it means.</source>
        <translation>Wählen Sie ein Ereignis aus, um zu sehen, was es bedeutet.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2: %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; bei %2: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;i&gt;No explanation for this reason yet.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Für diesen Grund gibt es noch keine Erklärung.&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogModel</name>
    <message>
        <location filename="../gui/models/log_model.cpp" line="+253"/>
        <source>log of %1 ended</source>
        <translation>Log von %1 beendet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>log of %1 unavailable: %2</source>
        <translation>Log von %1 nicht verfügbar: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogPage</name>
    <message>
        <location filename="../gui/views/log_page.cpp" line="+23"/>
        <source>F&amp;ollow</source>
        <translation>&amp;Verfolgen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cl&amp;ear</source>
        <translation>Lee&amp;ren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scroll to &amp;new lines</source>
        <translation>Zu &amp;neuen Zeilen scrollen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Deployment</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pod</source>
        <translation>Pod</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow the log of a</source>
        <translation>Log verfolgen von</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pod or Deployment</source>
        <translation>Pod oder Deployment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follows the log of a pod or of all pods of a Deployment.</source>
        <translation>Verfolgt das Log eines Pods oder aller Pods eines Deployments.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Log of:</source>
        <translation>&amp;Log von:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Log lines</source>
        <translation>Log-Zeilen</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Following %1</source>
        <translation>Verfolge %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::MainWindow</name>
    <message>
        <location filename="../gui/app/main_window.cpp" line="+54"/>
        <source>Slipway Studio</source>
        <translation>Slipway Studio</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <location line="+2"/>
        <source>Clusters</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Slipway&apos;s clusters on this computer</source>
        <translation>Die Slipway-Cluster auf diesem Computer</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Connect to Kubeconfig Context…</source>
        <translation>Mit Kubeconfig-&amp;Kontext verbinden…</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+228"/>
        <location line="+6"/>
        <source>Connect to Kubeconfig Context</source>
        <translation>Mit Kubeconfig-Kontext verbinden</translation>
    </message>
    <message>
        <location line="-233"/>
        <source>Could not read %1: %2</source>
        <translation>%1 konnte nicht gelesen werden: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Manifest</source>
        <translation>&amp;Neues Manifest</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open Manifest…</source>
        <translation>Manifest ö&amp;ffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;Recent Manifest</source>
        <translation>&amp;Zuletzt geöffnetes Manifest</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create Cluster…</source>
        <translation>&amp;Cluster erstellen…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;Topology</source>
        <translation>&amp;Topologie öffnen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open &amp;Rollouts</source>
        <translation>&amp;Rollouts öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Events</source>
        <translation>&amp;Ereignisse öffnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Logs</source>
        <translation>&amp;Logs öffnen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Slipway Studio</source>
        <translation>Ü&amp;ber Slipway Studio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Looking for clusters…</source>
        <translation>Suche nach Clustern…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not list clusters: %1</source>
        <translation>Cluster konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>About Slipway Studio</source>
        <translation>Über Slipway Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Lokale Kubernetes-artige Cluster mit einem Klick.&lt;/p&gt;&lt;p&gt;Cluster werden in %2 abgelegt.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+57"/>
        <location line="+20"/>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+59"/>
        <location line="+18"/>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+56"/>
        <location line="+18"/>
        <location line="+20"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>Topology: %1</source>
        <translation>Topologie: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Select a running cluster first.</source>
        <translation>Wählen Sie zuerst einen laufenden Cluster aus.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not running.</source>
        <translation>%1 läuft nicht.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Rollouts: %1</source>
        <translation>Rollouts: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Events: %1</source>
        <translation>Ereignisse: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Logs: %1</source>
        <translation>Logs: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has no contexts.</source>
        <translation>%1 enthält keine Kontexte.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Context in %1:</source>
        <translation>Kontext in %1:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>1 cluster</source>
        <extracomment>Status bar</extracomment>
        <translation>1 Cluster</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n clusters</source>
        <extracomment>Status bar; %n is never 1 here</extracomment>
        <translation>
            <numerusform>%n Cluster</numerusform>
            <numerusform>%n Cluster</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestEditorPage</name>
    <message>
        <location filename="../gui/views/manifest_editor_page.cpp" line="+249"/>
        <source>Line</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+110"/>
        <source>Document</source>
        <translation>Dokument</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <location line="-112"/>
        <location line="+120"/>
        <location line="+273"/>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <location line="-399"/>
        <source>Manifest editor</source>
        <translation>Manifest-Editor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>YAML editor with a form of the current document, its problems, and a preview of what applying creates.</source>
        <translation>YAML-Editor mit einem Formular für das aktuelle Dokument, seinen Problemen und einer Vorschau dessen, was das Anwenden erstellt.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+122"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location line="-120"/>
        <source>Form</source>
        <translation>Formular</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>The document of the file the form shows</source>
        <translation>Das Dokument der Datei, das das Formular zeigt</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+8"/>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new manifest from a template</source>
        <translation>Ein neues Manifest aus einer Vorlage beginnen</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Manifest</source>
        <translation>Manifest öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+304"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>YAML-Manifeste (*.yaml *.yml);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location line="-299"/>
        <source>Open a manifest in this editor</source>
        <translation>Ein Manifest in diesem Editor öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save As…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Validate</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the manifest with the cluster&apos;s validation rules (F7)</source>
        <translation>Das Manifest mit den Validierungsregeln des Clusters prüfen (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dry Run</source>
        <translation>Probelauf</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send the manifest to the cluster with dryRun=All: checked, nothing stored (Ctrl+Shift+Enter)</source>
        <translation>Das Manifest mit dryRun=All an den Cluster senden: wird geprüft, nichts wird gespeichert (Strg+Umschalt+Eingabe)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diff</source>
        <translation>Vergleichen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare the live objects with the manifest (Ctrl+Shift+D)</source>
        <translation>Die Live-Objekte mit dem Manifest vergleichen (Strg+Umschalt+D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+239"/>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <location line="-236"/>
        <source>Create or update the objects in the cluster (Ctrl+Enter)</source>
        <translation>Die Objekte im Cluster erstellen oder aktualisieren (Strg+Eingabe)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cluster:</source>
        <translation>Cluster:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no running cluster</source>
        <translation>kein laufender Cluster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The cluster dry runs, diffs and applies go to</source>
        <translation>Der Cluster, an den Probeläufe, Vergleiche und Anwendungen gehen</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&lt;b&gt;Form&lt;/b&gt;</source>
        <translation>&lt;b&gt;Formular&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;Preview&lt;/b&gt; — what applying creates</source>
        <translation>&lt;b&gt;Vorschau&lt;/b&gt; — was das Anwenden erstellt</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Manifest</source>
        <translation>Manifest</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not use %1: %2</source>
        <translation>%1 konnte nicht verwendet werden: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>document %1</source>
        <translation>Dokument %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No problems found</source>
        <translation>Keine Probleme gefunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 problem</source>
        <translation>1 Problem</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n problems</source>
        <translation>
            <numerusform>%n Problem</numerusform>
            <numerusform>%n Probleme</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Problems (%1)</source>
        <translation>Probleme (%1)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: (empty or invalid)</source>
        <translation>%1: (leer oder ungültig)</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>The manifest has %n problem(s). Apply it anyway?</source>
        <translation>
            <numerusform>Das Manifest hat %n Problem. Trotzdem anwenden?</numerusform>
            <numerusform>Das Manifest hat %n Probleme. Trotzdem anwenden?</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unsaved Changes</source>
        <translation>Nicht gespeicherte Änderungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation>%1 enthält nicht gespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save Manifest</source>
        <translation>Manifest speichern</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Talking to the cluster…</source>
        <translation>Kommuniziere mit dem Cluster…</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestFormModel</name>
    <message>
        <location filename="../gui/models/manifest_form_model.cpp" line="+53"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replicas</source>
        <translation>Replikate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strategy</source>
        <translation>Strategie</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Selector app</source>
        <translation>Selektor app</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Pod label app</source>
        <translation>Pod-Label app</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+33"/>
        <source>Container</source>
        <translation>Container</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+33"/>
        <source>Image</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Container port</source>
        <translation>Container-Port</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target port</source>
        <translation>Zielport</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node port</source>
        <translation>Node-Port</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Completions</source>
        <translation>Abschlüsse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parallelism</source>
        <translation>Parallelität</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backoff limit</source>
        <translation>Backoff-Limit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart policy</source>
        <translation>Neustartrichtlinie</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ingress class</source>
        <translation>Ingress-Klasse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path type</source>
        <translation>Pfadtyp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service port</source>
        <translation>Service-Port</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Access mode</source>
        <translation>Zugriffsmodus</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Storage class</source>
        <translation>Storage-Klasse</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestValidator</name>
    <message>
        <location filename="../gui/models/manifest_validator.cpp" line="+72"/>
        <source>a manifest document must be a mapping with apiVersion, kind and metadata</source>
        <translation>ein Manifest-Dokument muss ein Mapping mit apiVersion, kind und metadata sein</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>no built-in kind &quot;%1&quot; in &quot;%2&quot;: only the cluster can check it (a custom resource?)</source>
        <translation>kein eingebauter Kind „%1“ in „%2“: nur der Cluster kann ihn prüfen (eine Custom Resource?)</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>cannot check this document: %1</source>
        <translation>dieses Dokument kann nicht geprüft werden: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::OperationPanel</name>
    <message>
        <location filename="../gui/views/operation_panel.cpp" line="+39"/>
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Boot Log…</source>
        <translation>Boot-Log…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Follow the guest&apos;s console (VMs) or slipwayd&apos;s log (local process)</source>
        <translation>Die Konsole des Gastsystems (VMs) oder das Log von slipwayd (lokaler Prozess) verfolgen</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dismiss</source>
        <translation>Ausblenden</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutModel</name>
    <message>
        <location filename="../gui/models/rollout_model.cpp" line="+156"/>
        <source>%1 (current)</source>
        <translation>%1 (aktuell)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready → %3</source>
        <extracomment>pods ready of pods it has, then the count it is being scaled to</extracomment>
        <translation>%1 von %2 bereit → %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready</source>
        <extracomment>pods ready of pods it has</extracomment>
        <translation>%1 von %2 bereit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;none&gt;</source>
        <translation>&lt;keine&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Revision %1: ReplicaSet %2, %3 pods, %4 ready, %5 available</source>
        <translation>Revision %1: ReplicaSet %2, %3 Pods, %4 bereit, %5 verfügbar</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Revision</source>
        <translation>Revision</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pods</source>
        <translation>Pods</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change cause</source>
        <translation>Änderungsgrund</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ReplicaSet</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Choose a Deployment.</source>
        <translation>Wählen Sie ein Deployment.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployment %1 not found.</source>
        <translation>Deployment %1 nicht gefunden.</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Stuck: deployment &quot;%1&quot; exceeded its progress deadline</source>
        <translation>Festgefahren: Deployment „%1“ hat seine Fortschrittsfrist überschritten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New pods are not becoming ready: %1</source>
        <translation>Neue Pods werden nicht bereit: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stuck: the new pods of deployment &quot;%1&quot; are failing</source>
        <translation>Festgefahren: Die neuen Pods von Deployment „%1“ schlagen fehl</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused: changes to the template are recorded but not rolled out</source>
        <translation>Angehalten: Änderungen am Template werden gespeichert, aber nicht ausgerollt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment spec update to be observed…</source>
        <translation>Warten, bis die Aktualisierung der Deployment-Spezifikation erkannt wird…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 out of %3 new replicas have been updated…</source>
        <translation>Warten auf den Abschluss des Rollouts von Deployment „%1“: %2 von %3 neuen Replikaten wurden aktualisiert…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 old replicas are pending termination…</source>
        <translation>Warten auf den Abschluss des Rollouts von Deployment „%1“: %2 alte Replikate warten auf ihre Beendigung…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 of %3 updated replicas are available…</source>
        <translation>Warten auf den Abschluss des Rollouts von Deployment „%1“: %2 von %3 aktualisierten Replikaten sind verfügbar…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment &quot;%1&quot; successfully rolled out</source>
        <translation>Deployment „%1“ erfolgreich ausgerollt</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Recreate: the old pod is stopped before the new pod starts, so the application is unavailable in between.</source>
        <translation>Recreate: Der alte Pod wird gestoppt, bevor der neue Pod startet; die Anwendung ist dazwischen nicht verfügbar.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Recreate: all %n old pods are stopped before any new pod starts, so the application is unavailable in between.</source>
        <translation>
            <numerusform>Recreate: %n alter Pod wird gestoppt, bevor ein neuer Pod startet; die Anwendung ist dazwischen nicht verfügbar.</numerusform>
            <numerusform>Recreate: Alle %n alten Pods werden gestoppt, bevor ein neuer Pod startet; die Anwendung ist dazwischen nicht verfügbar.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 %2 of %3, rounded up</source>
        <translation>%1 %2 von %3, aufgerundet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 of %3, rounded down</source>
        <translation>%1 %2 von %3, abgerundet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>RollingUpdate: at most 1 extra pod (%1)</source>
        <translation>RollingUpdate: höchstens 1 zusätzlicher Pod (%1)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>RollingUpdate: at most %n extra pods (%1)</source>
        <translation>
            <numerusform>RollingUpdate: höchstens %n zusätzlicher Pod (%1)</numerusform>
            <numerusform>RollingUpdate: höchstens %n zusätzliche Pods (%1)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> and at most %1 unavailable (%2).</source>
        <translation> und höchstens %1 nicht verfügbar (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>both resolve to 0, so 1 is allowed</source>
        <translation>beide ergeben 0, daher ist 1 erlaubt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>During a rollout there are at most %1 pods and at least %2 available.</source>
        <translation>Während eines Rollouts gibt es höchstens %1 Pods und mindestens %2 verfügbare.</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+72"/>
        <source>No Deployment chosen.</source>
        <translation>Kein Deployment ausgewählt.</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment %1 has no container %2.</source>
        <translation>Deployment %1 hat keinen Container %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The image must not be empty.</source>
        <translation>Das Image darf nicht leer sein.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Set image %1=%2</source>
        <translation>Image setzen %1=%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replicas must not be negative.</source>
        <translation>Die Anzahl der Replikate darf nicht negativ sein.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scale to 1 replica</source>
        <translation>Auf 1 Replikat skalieren</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Scale to %n replicas</source>
        <translation>
            <numerusform>Auf %n Replikat skalieren</numerusform>
            <numerusform>Auf %n Replikate skalieren</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is already paused.</source>
        <translation>Deployment %1 ist bereits angehalten.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause rollout</source>
        <translation>Rollout anhalten</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is not paused.</source>
        <translation>Deployment %1 ist nicht angehalten.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume rollout</source>
        <translation>Rollout fortsetzen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is paused; resume it before restarting.</source>
        <translation>Deployment %1 ist angehalten; setzen Sie es vor dem Neustart fort.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Restart rollout</source>
        <translation>Rollout neu starten</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>You cannot rollback a paused deployment; resume it first.</source>
        <translation>Ein angehaltenes Deployment kann nicht zurückgerollt werden; setzen Sie es zuerst fort.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unable to find specified revision %1 in history.</source>
        <translation>Die angegebene Revision %1 ist nicht im Verlauf.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skipped rollback (current template already matches revision %1).</source>
        <translation>Zurückrollen übersprungen (das aktuelle Template entspricht bereits Revision %1).</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Undo to revision %1</source>
        <translation>Zurück zu Revision %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: done</source>
        <translation>%1: erledigt</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPage</name>
    <message>
        <location filename="../gui/views/rollout_page.cpp" line="+34"/>
        <source>Set &amp;image…</source>
        <translation>&amp;Image setzen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pausieren</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Scale…</source>
        <translation>&amp;Skalieren…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resu&amp;me</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;estart</source>
        <translation>&amp;Neu starten</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>&amp;Undo to revision…</source>
        <translation>&amp;Zurück zu Revision…</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>&amp;Deployment:</source>
        <translation>Deplo&amp;yment:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rollouts</source>
        <translation>Rollouts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revision history, pods and replica timeline of a Deployment, with its rollout commands.</source>
        <translation>Revisionsverlauf, Pods und Replikat-Zeitleiste eines Deployments, mit seinen Rollout-Befehlen.</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+9"/>
        <source>Revision history</source>
        <translation>Revisionsverlauf</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pods of each revision</source>
        <translation>Pods je Revision</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>&amp;Undo to revision %1</source>
        <translation>&amp;Zurück zu Revision %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+7"/>
        <source>Set Image</source>
        <translation>Image setzen</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Container:</source>
        <translation>Container:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New image for container %1:</source>
        <translation>Neues Image für Container %1:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Scale</source>
        <translation>Skalieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Replicas:</source>
        <translation>Replikate:</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPodsView</name>
    <message>
        <location filename="../gui/views/rollout_pods_view.cpp" line="+38"/>
        <source>Pods of each revision</source>
        <translation>Pods je Revision</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revision %1: %2 pods, %3 ready</source>
        <translation>Revision %1: %2 Pods, %3 bereit</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No pods.</source>
        <translation>Keine Pods.</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Revision %1 (new)</source>
        <translation>Revision %1 (neu)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revision %1</source>
        <translation>Revision %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutTimelineChart</name>
    <message>
        <location filename="../gui/views/rollout_timeline_chart.cpp" line="+39"/>
        <source>Replicas during the rollout</source>
        <translation>Replikate während des Rollouts</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>desired</source>
        <translation>gewünscht</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>updated</source>
        <translation>aktualisiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>available</source>
        <translation>verfügbar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>old ReplicaSets</source>
        <translation>alte ReplicaSets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new ReplicaSet</source>
        <translation>neues ReplicaSet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replicas</source>
        <translation>Replikate</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Rollout timeline</source>
        <translation>Rollout-Zeitleiste</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyModel</name>
    <message>
        <location filename="../gui/models/topology_model.cpp" line="+240"/>
        <source>Unknown</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pending</source>
        <translation>Ausstehend</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Creating containers</source>
        <translation>Container werden erstellt</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+180"/>
        <source>Progressing</source>
        <translation>Im Gange</translation>
    </message>
    <message>
        <location line="-178"/>
        <location line="+251"/>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <location line="-249"/>
        <location line="+173"/>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <location line="-171"/>
        <source>Not ready</source>
        <translation>Nicht bereit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Crash loop</source>
        <translation>Absturzschleife</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminating</source>
        <translation>Wird beendet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Succeeded</source>
        <translation>Erfolgreich</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+231"/>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Scaled to zero</source>
        <translation>Auf null skaliert</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Progress deadline exceeded</source>
        <translation>Fortschrittsfrist überschritten</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Complete</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Suspended</source>
        <translation>Ausgesetzt</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyPage</name>
    <message>
        <location filename="../gui/views/topology_page.cpp" line="+59"/>
        <location line="+1"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Last transition</source>
        <translation>Letzter Übergang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Alter</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology</source>
        <translation>Topologie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live graph of the cluster&apos;s workloads, services, pods and nodes, with the selected object&apos;s details beside it.</source>
        <translation>Live-Graph der Workloads, Services, Pods und Knoten des Clusters, daneben die Details des ausgewählten Objekts.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology graph</source>
        <translation>Topologie-Graph</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All kinds</source>
        <translation>Alle Kinds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workloads</source>
        <translation>Workloads</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Label selector, e.g. app=web</source>
        <translation>Label-Selektor, z. B. app=web</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label selector</source>
        <translation>Label-Selektor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search (Enter: next match)</source>
        <translation>Suchen (Eingabe: nächster Treffer)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Zoom out (-)</source>
        <translation>Verkleinern (-)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in (+)</source>
        <translation>Vergrößern (+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>Einpassen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit everything (0)</source>
        <translation>Alles einpassen (0)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Namespace:</source>
        <translation>Namespace:</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+1"/>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+55"/>
        <source>Conditions</source>
        <translation>Bedingungen</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Lo&amp;gs…</source>
        <translation>Lo&amp;gs…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+55"/>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+123"/>
        <source>Select an object to see its details.</source>
        <translation>Wählen Sie ein Objekt aus, um seine Details zu sehen.</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>Follow the selected Pod&apos;s log, or those of every pod of the selected Deployment, in a Logs tab</source>
        <translation>Das Log des ausgewählten Pods oder die Logs aller Pods des ausgewählten Deployments in einem Logs-Tab verfolgen</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>All namespaces</source>
        <translation>Alle Namespaces</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Label selector: %1</source>
        <translation>Label-Selektor: %1</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 in %3</source>
        <translation>%1 %2 in %3</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1 (×%2)</source>
        <translation>%1 (×%2)</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyView</name>
    <message>
        <location filename="../gui/views/topology_view.cpp" line="+43"/>
        <source>Cluster topology</source>
        <translation>Cluster-Topologie</translation>
    </message>
    <message>
        <location line="+375"/>
        <source>Unscheduled</source>
        <translation>Nicht eingeplant</translation>
    </message>
</context>
</TS>
