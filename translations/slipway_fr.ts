<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>ExampleApps</name>
    <message>
        <location filename="../gui/models/example_apps.cpp" line="+32"/>
        <source>Hello web app</source>
        <translation>Application web Hello</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Deployment of two slipway.local/hello:1 replicas and a Service hello.</source>
        <translation>Un Deployment de deux réplicas de slipway.local/hello:1 et un Service hello.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Countdown Job</source>
        <translation>Job de compte à rebours</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Job whose busybox container counts down from 10 and ends.</source>
        <translation>Un Job dont le conteneur busybox compte à rebours à partir de 10, puis se termine.</translation>
    </message>
</context>
<context>
    <name>TerminalLauncher</name>
    <message>
        <location filename="../gui/services/terminal_launcher.cpp" line="+53"/>
        <source>No terminal emulator found: set $TERMINAL or install one of %1.</source>
        <translation>Aucun émulateur de terminal trouvé : définissez $TERMINAL ou installez-en un parmi %1.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not start %1: %2</source>
        <translation>Impossible de démarrer %1 : %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+166"/>
        <source>Create and watch local Kubernetes-style clusters.</source>
        <translation>Créer et surveiller des clusters locaux de type Kubernetes.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep clusters in &lt;dir&gt; instead of the default folder.</source>
        <translation>Conserver les clusters dans &lt;dossier&gt; au lieu du dossier par défaut.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dir</source>
        <translation>dossier</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open the topology of the cluster in &lt;file&gt;.</source>
        <translation>Ouvrir la topologie du cluster décrit dans &lt;fichier&gt;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>With --kubeconfig: use &lt;name&gt; instead of the current context.</source>
        <translation>Avec --kubeconfig : utiliser &lt;nom&gt; au lieu du contexte courant.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>name</source>
        <translation>nom</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &lt;file&gt; in the manifest editor.</source>
        <translation>Ouvrir &lt;fichier&gt; dans l’éditeur de manifestes.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use a dark colour scheme whatever the desktop&apos;s (as does SLIPWAY_STUDIO_DARK=1).</source>
        <translation>Utiliser un jeu de couleurs sombre, quel que soit celui du bureau (comme SLIPWAY_STUDIO_DARK=1).</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ApplyService</name>
    <message>
        <location filename="../gui/services/apply_service.cpp" line="+171"/>
        <source> (server dry run)</source>
        <translation> (simulation côté serveur)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>metadata.name is required</source>
        <translation>metadata.name est obligatoire</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>created</source>
        <translation>créé</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unchanged</source>
        <translation>inchangé</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>configured</source>
        <translation>configuré</translation>
    </message>
</context>
<context>
    <name>slipway::gui::BootLogDialog</name>
    <message>
        <location filename="../gui/views/boot_log_dialog.cpp" line="+20"/>
        <source>Boot Log of %1</source>
        <translation>Journal de démarrage de %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reading…</source>
        <translation>Lecture…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Following the file; new lines appear as they are written.</source>
        <translation>Suivi du fichier ; les nouvelles lignes apparaissent à mesure qu’elles sont écrites.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The log does not exist yet; it appears once the machine starts.</source>
        <translation>Le journal n’existe pas encore ; il apparaîtra dès que la machine démarrera.</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterActions</name>
    <message>
        <location filename="../gui/app/cluster_actions.cpp" line="+72"/>
        <source>&quot;%1&quot; is running; example apps: %2</source>
        <translation>« %1 » est en cours d’exécution ; applications d’exemple : %2</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Creating “%1”</source>
        <translation>Création de « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting “%1”</source>
        <translation>Démarrage de « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopping “%1”</source>
        <translation>Arrêt de « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing “%1”</source>
        <translation>Suspension de « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resuming “%1”</source>
        <translation>Reprise de « %1 »</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleting “%1”</source>
        <translation>Suppression de « %1 »</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Open Terminal Here</source>
        <translation>Ouvrir un terminal ici</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Opened a terminal for “%1” with KUBECONFIG=%2</source>
        <translation>Terminal ouvert pour « %1 » avec KUBECONFIG=%2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+72"/>
        <source>Created %1</source>
        <translation>Créé le %1</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Driver</source>
        <translation>Pilote</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPUs</source>
        <translation>Processeurs</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory</source>
        <translation>Mémoire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nodes</source>
        <translation>Nœuds</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API address</source>
        <translation>Adresse de l’API</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Age</source>
        <translation>Âge</translation>
    </message>
    <message>
        <location line="+98"/>
        <source>%1 MiB</source>
        <translation>%1 Mio</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>%1 GiB</source>
        <translation>%1 Gio</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Stopped</source>
        <translation>Arrêté</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting</source>
        <translation>Démarrage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>En marche</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterManagerView</name>
    <message>
        <location filename="../gui/views/cluster_manager_view.cpp" line="+46"/>
        <source>Clusters</source>
        <translation>Clusters</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Create Cluster…</source>
        <translation>Créer un cluster…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a cluster with the wizard</source>
        <translation>Créer un cluster avec l’assistant</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start</source>
        <translation>Démarrer</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start the selected cluster</source>
        <translation>Démarrer le cluster sélectionné</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut the selected cluster down (its data is kept)</source>
        <translation>Arrêter le cluster sélectionné (ses données sont conservées)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>Suspendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze the selected cluster where it is; Resume lets it go on</source>
        <translation>Figer le cluster sélectionné dans son état actuel ; « Reprendre » le relance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Let the paused cluster run</source>
        <translation>Relancer le cluster suspendu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>Supprimer…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the selected cluster and delete it with all its data</source>
        <translation>Arrêter le cluster sélectionné et le supprimer avec toutes ses données</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy Kubeconfig</source>
        <translation>Copier le kubeconfig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy an export KUBECONFIG=… line for the selected cluster: paste it into a terminal and kubectl uses that cluster</source>
        <translation>Copier une ligne « export KUBECONFIG=… » pour le cluster sélectionné : collez-la dans un terminal et kubectl utilisera ce cluster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Terminal Here</source>
        <translation>Ouvrir un terminal ici</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a terminal in the cluster&apos;s folder with KUBECONFIG set to its kubeconfig</source>
        <translation>Ouvrir un terminal dans le dossier du cluster, avec KUBECONFIG pointant vers son kubeconfig</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Copied &quot;%1&quot;: paste it into a terminal to use %2 with kubectl</source>
        <translation>« %1 » copié : collez-le dans un terminal pour utiliser %2 avec kubectl</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete Cluster</source>
        <translation>Supprimer le cluster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the cluster &quot;%1&quot;?</source>
        <translation>Supprimer le cluster « %1 » ?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its machines are stopped and its folder, with every object and volume in it, is removed. This cannot be undone.</source>
        <translation>Ses machines sont arrêtées et son dossier, avec tous les objets et volumes qu’il contient, est supprimé. Cette action est irréversible.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>Aucun cluster pour l’instant — lancez %1 ou utilisez « Créer un cluster »</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterService</name>
    <message>
        <location filename="../gui/services/cluster_service.cpp" line="+158"/>
        <location line="+98"/>
        <source>Another operation on &quot;%1&quot; is still running.</source>
        <translation>Une autre opération sur « %1 » est encore en cours.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Deploying the example apps</source>
        <translation>Déploiement des applications d’exemple</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+9"/>
        <source>The cluster runs, but deploying the examples failed: %1</source>
        <translation>Le cluster est en cours d’exécution, mais le déploiement des exemples a échoué : %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterTrayIcon</name>
    <message>
        <location filename="../gui/views/cluster_tray_icon.cpp" line="+52"/>
        <source>Slipway: no clusters</source>
        <translation>Slipway : aucun cluster</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Slipway: %1 of %n cluster(s) running</source>
        <translation>
            <numerusform>Slipway : %1 sur %n cluster en cours d’exécution</numerusform>
            <numerusform>Slipway : %1 sur %n clusters en cours d’exécution</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Show Slipway Studio</source>
        <translation>Afficher Slipway Studio</translation>
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
        <translation>Démarrer</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizard</name>
    <message>
        <location filename="../gui/views/cluster_wizard.cpp" line="+50"/>
        <source>Create Cluster</source>
        <translation>Créer un cluster</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Name and driver</source>
        <translation>Nom et pilote</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name is used for the cluster&apos;s folder, its VMs and its kubectl context.</source>
        <translation>Le nom sert au dossier du cluster, à ses VM et à son contexte kubectl.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Virtual machine (libvirt)</source>
        <translation>Machine virtuelle (libvirt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Local process (slipwayd on this machine)</source>
        <translation>Processus local (slipwayd sur cette machine)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Name:</source>
        <translation>Nom :</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Driver:</source>
        <translation>Pilote :</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resources</source>
        <translation>Ressources</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What each node may use, up to what this machine has.</source>
        <translation>Ce que chaque nœud peut utiliser, dans la limite de ce dont dispose cette machine.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>CPUs:</source>
        <translation>Processeurs :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory:</source>
        <translation>Mémoire :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk:</source>
        <translation>Disque :</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nodes:</source>
        <translation>Nœuds :</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Example apps</source>
        <translation>Applications d’exemple</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployed once the cluster is up, as kubectl apply would.</source>
        <translation>Déployées dès que le cluster est prêt, comme le ferait kubectl apply.</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+5"/>
        <source>%1 of %2</source>
        <translation>%1 sur %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 GiB of %2 GiB free</source>
        <translation>%1 Gio sur %2 Gio libres</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&quot;%1&quot;: %2, %3 CPU(s), %4, %5 GiB disk, %6 node(s).</source>
        <translation>« %1 » : %2, %3 processeur(s), %4, disque de %5 Gio, %6 nœud(s).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libvirt VM</source>
        <translation>VM libvirt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>local process</source>
        <translation>processus local</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizardModel</name>
    <message>
        <location filename="../gui/models/cluster_wizard_model.cpp" line="+91"/>
        <source>Enter a name for the cluster.</source>
        <translation>Saisissez un nom pour le cluster.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A name has at most 63 characters (this one has %1).</source>
        <translation>Un nom comporte au plus 63 caractères (celui-ci en a %1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use lower-case letters: &quot;%1&quot; is not allowed.</source>
        <translation>Utilisez des minuscules : « %1 » n’est pas autorisé.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only lower-case letters, digits and &apos;-&apos; are allowed, not &quot;%1&quot;.</source>
        <translation>Seuls les chiffres, les lettres minuscules et « - » sont autorisés, pas « %1 ».</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The name must start and end with a letter or a digit.</source>
        <translation>Le nom doit commencer et se terminer par une lettre ou un chiffre.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A cluster called &quot;%1&quot; already exists.</source>
        <translation>Un cluster nommé « %1 » existe déjà.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Checking whether this machine can run it…</source>
        <translation>Vérification que cette machine peut l’exécuter…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>This machine has %1 MiB of memory; a cluster needs at least %2 MiB.</source>
        <translation>Cette machine dispose de %1 Mio de mémoire ; un cluster en demande au moins %2 Mio.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only %1 GiB are free where clusters are kept; a cluster needs at least %2 GiB.</source>
        <translation>Seuls %1 Gio sont libres à l’emplacement des clusters ; un cluster en demande au moins %2 Gio.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A local-process cluster has one node: this machine.</source>
        <translation>Un cluster en processus local n’a qu’un nœud : cette machine.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Checking what this machine has…</source>
        <translation>Vérification des ressources de cette machine…</translation>
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
        <translation>%1 : %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Applied to %1</source>
        <translation>Appliqué à %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dry run on %1</source>
        <translation>Simulation sur %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff against %1</source>
        <translation>Différences avec %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No differences: the cluster matches the manifest.</source>
        <translation>Aucune différence : le cluster correspond au manifeste.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not reach the cluster</source>
        <translation>Impossible de joindre le cluster</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Manifest: %1</source>
        <translation>Manifeste : %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open Manifest</source>
        <translation>Ouvrir un manifeste</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>Manifestes YAML (*.yaml *.yml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No recent manifests</source>
        <translation>Aucun manifeste récent</translation>
    </message>
</context>
<context>
    <name>slipway::gui::EventModel</name>
    <message>
        <location filename="../gui/models/event_model.cpp" line="+45"/>
        <source>&lt;unknown&gt;</source>
        <translation>&lt;inconnu&gt;</translation>
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
        <translation>%1 j</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Last seen</source>
        <translation>Vu pour la dernière fois</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Object</source>
        <translation>Objet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Count</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+117"/>
        <source> No node has enough free CPU for the pod&apos;s requests.</source>
        <translation> Aucun nœud n’a assez de CPU libre pour les demandes (requests) du Pod.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> No node has enough free memory for the pod&apos;s requests.</source>
        <translation> Aucun nœud n’a assez de mémoire libre pour les demandes (requests) du Pod.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> The nodes carry taints the pod does not tolerate.</source>
        <translation> Les nœuds portent des taints que le Pod ne tolère pas.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> No node matches the pod&apos;s node selector or affinity rules.</source>
        <translation> Aucun nœud ne correspond au sélecteur de nœud ni aux règles d’affinité du Pod.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The scheduler found no node to run this pod on, so it stays Pending.</source>
        <translation>L’ordonnanceur n’a trouvé aucun nœud où exécuter ce Pod ; il reste donc Pending.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> Lower its resource requests, add or free nodes, or relax its constraints; the scheduler keeps trying.</source>
        <translation> Réduisez ses demandes de ressources, ajoutez ou libérez des nœuds, ou assouplissez ses contraintes ; l’ordonnanceur continue d’essayer.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pulling the image failed several times; the node now waits longer and longer before trying again (ImagePullBackOff). Check the image name, tag and registry credentials.</source>
        <translation>Le téléchargement de l’image a échoué plusieurs fois ; le nœud attend désormais de plus en plus longtemps avant de réessayer (ImagePullBackOff). Vérifiez le nom de l’image, son tag et les identifiants du registre.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container keeps exiting and the node waits longer and longer before restarting it (CrashLoopBackOff). Look at the container&apos;s logs, including those of its previous run, to see why it exits.</source>
        <translation>Le conteneur s’arrête sans cesse et le nœud attend de plus en plus longtemps avant de le redémarrer (CrashLoopBackOff). Consultez les journaux du conteneur, y compris ceux de l’exécution précédente, pour comprendre pourquoi il s’arrête.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A probe failed. A failing readiness probe takes the pod out of its Services&apos; endpoints; a failing liveness probe gets the container restarted. Check the probe&apos;s path, port and timings against what the application does.</source>
        <translation>Une sonde a échoué. Une sonde readiness en échec retire le Pod des endpoints de ses Services ; une sonde liveness en échec fait redémarrer le conteneur. Comparez le chemin, le port et les délais de la sonde avec le comportement de l’application.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The Deployment controller changed how many pods a ReplicaSet should have. During a rollout it scales the new ReplicaSet up and the old one down, step by step, within maxSurge and maxUnavailable.</source>
        <translation>Le contrôleur de Deployment a modifié le nombre de Pods que doit avoir un ReplicaSet. Pendant un déploiement progressif, il augmente le nouveau ReplicaSet et réduit l’ancien, pas à pas, dans les limites de maxSurge et maxUnavailable.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is stopping this container: the pod is being deleted (scale down, rollout, eviction) or a liveness probe failed. It gets its grace period to shut down cleanly.</source>
        <translation>Le nœud arrête ce conteneur : le Pod est en cours de suppression (réduction, déploiement progressif, éviction) ou une sonde liveness a échoué. Il dispose de son délai de grâce pour s’arrêter proprement.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is downloading the container image.</source>
        <translation>Le nœud télécharge l’image du conteneur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container image is on the node and the container can be created.</source>
        <translation>L’image du conteneur est sur le nœud et le conteneur peut être créé.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node could not download the container image: the name or tag may be wrong, the registry unreachable, or credentials (imagePullSecrets) missing. The node retries with growing delays.</source>
        <translation>Le nœud n’a pas pu télécharger l’image du conteneur : le nom ou le tag est peut-être erroné, le registre injoignable ou des identifiants (imagePullSecrets) manquants. Le nœud réessaie à intervalles croissants.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting the container failed; the message says why.</source>
        <translation>Le démarrage du conteneur a échoué ; le message en donne la raison.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller created a pod (or Job) it owns, to reach the number it wants.</source>
        <translation>Un contrôleur a créé un Pod (ou un Job) qui lui appartient, pour atteindre le nombre voulu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller deleted a pod it owns, because it has more than it wants.</source>
        <translation>Un contrôleur a supprimé un Pod qui lui appartient, car il en a plus que voulu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller could not create a pod: a quota, a policy or an invalid template refused it. The message names the cause.</source>
        <translation>Un contrôleur n’a pas pu créer de Pod : un quota, une politique ou un modèle invalide l’a refusé. Le message en indique la cause.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Deployment made no progress for progressDeadlineSeconds: its new pods do not become available. The rollout is stuck (not rolled back); fix the template or undo to an earlier revision.</source>
        <translation>Le Deployment n’a pas progressé pendant progressDeadlineSeconds : ses nouveaux Pods ne deviennent pas disponibles. Le déploiement progressif est bloqué (il n’est pas annulé) ; corrigez le modèle ou revenez à une révision antérieure.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The scheduler chose a node for the pod; the node now starts it.</source>
        <translation>L’ordonnanceur a choisi un nœud pour le Pod ; le nœud le démarre maintenant.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node created the container.</source>
        <translation>Le nœud a créé le conteneur.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container&apos;s process is running.</source>
        <translation>Le processus du conteneur est en cours d’exécution.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A volume of the pod could not be mounted, so its containers cannot start. A missing ConfigMap, Secret or PersistentVolumeClaim is the usual cause.</source>
        <translation>Un volume du Pod n’a pas pu être monté, ses conteneurs ne peuvent donc pas démarrer. La cause habituelle est une ConfigMap, un Secret ou un PersistentVolumeClaim manquant.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container used more memory than its limit and was killed. Raise the memory limit or reduce what the application uses.</source>
        <translation>Le conteneur a utilisé plus de mémoire que sa limite et a été tué. Augmentez la limite de mémoire ou réduisez la consommation de l’application.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node removed the pod to reclaim a scarce resource (memory, disk).</source>
        <translation>Le nœud a retiré le Pod pour récupérer une ressource devenue rare (mémoire, disque).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node stopped reporting that it is healthy; its pods may be evicted if it does not come back.</source>
        <translation>Le nœud ne signale plus qu’il est en bonne santé ; ses Pods peuvent être évincés s’il ne revient pas.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node joined the cluster or became ready to run pods.</source>
        <translation>Le nœud a rejoint le cluster ou est prêt à exécuter des Pods.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Job&apos;s pods finished successfully.</source>
        <translation>Les Pods du Job se sont terminés avec succès.</translation>
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
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All types</source>
        <translation>Tous les types</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>Avertissements</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by reason, message or object…</source>
        <translation>Filtrer par raison, message ou objet…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter text</source>
        <translation>Texte du filtre</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+27"/>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>The cluster&apos;s events, newest first, with an explanation of the selected one.</source>
        <translation>Les événements du cluster, les plus récents en premier, avec une explication de celui qui est sélectionné.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explanation</source>
        <translation>Explication</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fil&amp;ter:</source>
        <translation>Fil&amp;trer :</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>All namespaces</source>
        <translation>Tous les namespaces</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All kinds</source>
        <translation>Tous les kinds</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Select an event to see what it means.</source>
        <translation>Sélectionnez un événement pour voir ce qu’il signifie.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2: %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; sur %2 : %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;i&gt;No explanation for this reason yet.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Pas encore d’explication pour cette raison.&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogModel</name>
    <message>
        <location filename="../gui/models/log_model.cpp" line="+253"/>
        <source>log of %1 ended</source>
        <translation>fin du journal de %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>log of %1 unavailable: %2</source>
        <translation>journal de %1 indisponible : %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogPage</name>
    <message>
        <location filename="../gui/views/log_page.cpp" line="+23"/>
        <source>F&amp;ollow</source>
        <translation>&amp;Suivre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cl&amp;ear</source>
        <translation>&amp;Effacer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scroll to &amp;new lines</source>
        <translation>Défiler jusqu’aux &amp;nouvelles lignes</translation>
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
        <translation>Suivre le journal d’un</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pod or Deployment</source>
        <translation>Pod ou Deployment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logs</source>
        <translation>Journaux</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follows the log of a pod or of all pods of a Deployment.</source>
        <translation>Suit le journal d’un Pod ou de tous les Pods d’un Deployment.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Log of:</source>
        <translation>&amp;Journal de :</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Log lines</source>
        <translation>Lignes du journal</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Following %1</source>
        <translation>Suivi de %1</translation>
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
        <translation>Clusters</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Slipway&apos;s clusters on this computer</source>
        <translation>Les clusters Slipway de cet ordinateur</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Connect to Kubeconfig Context…</source>
        <translation>Se &amp;connecter à un contexte kubeconfig…</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+228"/>
        <location line="+6"/>
        <source>Connect to Kubeconfig Context</source>
        <translation>Se connecter à un contexte kubeconfig</translation>
    </message>
    <message>
        <location line="-233"/>
        <source>Could not read %1: %2</source>
        <translation>Impossible de lire %1 : %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Manifest</source>
        <translation>&amp;Nouveau manifeste</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open Manifest…</source>
        <translation>&amp;Ouvrir un manifeste…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;Recent Manifest</source>
        <translation>Manifestes &amp;récents</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create Cluster…</source>
        <translation>&amp;Créer un cluster…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;Topology</source>
        <translation>Ouvrir la &amp;topologie</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open &amp;Rollouts</source>
        <translation>Ouvrir les &amp;déploiements</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Events</source>
        <translation>Ouvrir les é&amp;vénements</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Logs</source>
        <translation>Ouvrir les &amp;journaux</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Slipway Studio</source>
        <translation>À &amp;propos de Slipway Studio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About &amp;Qt</source>
        <translation>À propos de &amp;Qt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Looking for clusters…</source>
        <translation>Recherche des clusters…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not list clusters: %1</source>
        <translation>Impossible de lister les clusters : %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>About Slipway Studio</source>
        <translation>À propos de Slipway Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Des clusters locaux de type Kubernetes en un clic.&lt;/p&gt;&lt;p&gt;Les clusters sont conservés dans %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+57"/>
        <location line="+20"/>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+59"/>
        <location line="+18"/>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+56"/>
        <location line="+18"/>
        <location line="+20"/>
        <source>Error: %1</source>
        <translation>Erreur : %1</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>Topology: %1</source>
        <translation>Topologie : %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Select a running cluster first.</source>
        <translation>Sélectionnez d’abord un cluster en cours d’exécution.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not running.</source>
        <translation>%1 n’est pas en cours d’exécution.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Rollouts: %1</source>
        <translation>Déploiements : %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Events: %1</source>
        <translation>Événements : %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Logs: %1</source>
        <translation>Journaux : %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has no contexts.</source>
        <translation>%1 ne contient aucun contexte.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Context in %1:</source>
        <translation>Contexte de %1 :</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>1 cluster</source>
        <extracomment>Status bar</extracomment>
        <translation>1 cluster</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n clusters</source>
        <extracomment>Status bar; %n is never 1 here</extracomment>
        <translation>
            <numerusform>%n cluster</numerusform>
            <numerusform>%n clusters</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestEditorPage</name>
    <message>
        <location filename="../gui/views/manifest_editor_page.cpp" line="+249"/>
        <source>Line</source>
        <translation>Ligne</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+110"/>
        <source>Document</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <location line="-112"/>
        <location line="+120"/>
        <location line="+273"/>
        <source>Problems</source>
        <translation>Problèmes</translation>
    </message>
    <message>
        <location line="-399"/>
        <source>Manifest editor</source>
        <translation>Éditeur de manifestes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>YAML editor with a form of the current document, its problems, and a preview of what applying creates.</source>
        <translation>Éditeur YAML avec un formulaire du document courant, ses problèmes et un aperçu de ce que l’application va créer.</translation>
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
        <translation>Sortie</translation>
    </message>
    <message>
        <location line="-120"/>
        <source>Form</source>
        <translation>Formulaire</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview</source>
        <translation>Aperçu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>The document of the file the form shows</source>
        <translation>Le document du fichier affiché par le formulaire</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+8"/>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new manifest from a template</source>
        <translation>Commencer un nouveau manifeste à partir d’un modèle</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open…</source>
        <translation>Ouvrir…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Manifest</source>
        <translation>Ouvrir un manifeste</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+304"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>Manifestes YAML (*.yaml *.yml);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location line="-299"/>
        <source>Open a manifest in this editor</source>
        <translation>Ouvrir un manifeste dans cet éditeur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save As…</source>
        <translation>Enregistrer sous…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Validate</source>
        <translation>Valider</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the manifest with the cluster&apos;s validation rules (F7)</source>
        <translation>Vérifier le manifeste avec les règles de validation du cluster (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dry Run</source>
        <translation>Simulation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send the manifest to the cluster with dryRun=All: checked, nothing stored (Ctrl+Shift+Enter)</source>
        <translation>Envoyer le manifeste au cluster avec dryRun=All : vérifié, rien n’est enregistré (Ctrl+Maj+Entrée)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diff</source>
        <translation>Comparer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare the live objects with the manifest (Ctrl+Shift+D)</source>
        <translation>Comparer les objets en service avec le manifeste (Ctrl+Maj+D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+239"/>
        <source>Apply</source>
        <translation>Appliquer</translation>
    </message>
    <message>
        <location line="-236"/>
        <source>Create or update the objects in the cluster (Ctrl+Enter)</source>
        <translation>Créer ou mettre à jour les objets dans le cluster (Ctrl+Entrée)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cluster:</source>
        <translation>Cluster :</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no running cluster</source>
        <translation>aucun cluster en cours d’exécution</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The cluster dry runs, diffs and applies go to</source>
        <translation>Le cluster visé par les simulations, comparaisons et applications</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&lt;b&gt;Form&lt;/b&gt;</source>
        <translation>&lt;b&gt;Formulaire&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;Preview&lt;/b&gt; — what applying creates</source>
        <translation>&lt;b&gt;Aperçu&lt;/b&gt; — ce que l’application va créer</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Manifest</source>
        <translation>Manifeste</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not use %1: %2</source>
        <translation>Impossible d’utiliser %1 : %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Untitled</source>
        <translation>Sans titre</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>document %1</source>
        <translation>document %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No problems found</source>
        <translation>Aucun problème détecté</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 problem</source>
        <translation>1 problème</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n problems</source>
        <translation>
            <numerusform>%n problème</numerusform>
            <numerusform>%n problèmes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Problems (%1)</source>
        <translation>Problèmes (%1)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: (empty or invalid)</source>
        <translation>%1 : (vide ou invalide)</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>The manifest has %n problem(s). Apply it anyway?</source>
        <translation>
            <numerusform>Le manifeste comporte %n problème. L’appliquer quand même ?</numerusform>
            <numerusform>Le manifeste comporte %n problèmes. L’appliquer quand même ?</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unsaved Changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation>%1 contient des modifications non enregistrées. Les enregistrer ?</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save Manifest</source>
        <translation>Enregistrer le manifeste</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 failed</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Talking to the cluster…</source>
        <translation>Communication avec le cluster…</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestFormModel</name>
    <message>
        <location filename="../gui/models/manifest_form_model.cpp" line="+53"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replicas</source>
        <translation>Réplicas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strategy</source>
        <translation>Stratégie</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Selector app</source>
        <translation>Sélecteur app</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Pod label app</source>
        <translation>Label app du Pod</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+33"/>
        <source>Container</source>
        <translation>Conteneur</translation>
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
        <translation>Port du conteneur</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target port</source>
        <translation>Port cible</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node port</source>
        <translation>Port de nœud</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Completions</source>
        <translation>Complétions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parallelism</source>
        <translation>Parallélisme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backoff limit</source>
        <translation>Limite de backoff</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart policy</source>
        <translation>Politique de redémarrage</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ingress class</source>
        <translation>Classe d’Ingress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path</source>
        <translation>Chemin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path type</source>
        <translation>Type de chemin</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service port</source>
        <translation>Port du Service</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Access mode</source>
        <translation>Mode d’accès</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Storage class</source>
        <translation>Classe de stockage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Field</source>
        <translation>Champ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valeur</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestValidator</name>
    <message>
        <location filename="../gui/models/manifest_validator.cpp" line="+72"/>
        <source>a manifest document must be a mapping with apiVersion, kind and metadata</source>
        <translation>un document de manifeste doit être un mapping avec apiVersion, kind et metadata</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>no built-in kind &quot;%1&quot; in &quot;%2&quot;: only the cluster can check it (a custom resource?)</source>
        <translation>aucun kind intégré « %1 » dans « %2 » : seul le cluster peut le vérifier (une ressource personnalisée ?)</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>cannot check this document: %1</source>
        <translation>impossible de vérifier ce document : %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::OperationPanel</name>
    <message>
        <location filename="../gui/views/operation_panel.cpp" line="+39"/>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Boot Log…</source>
        <translation>Journal de démarrage…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Follow the guest&apos;s console (VMs) or slipwayd&apos;s log (local process)</source>
        <translation>Suivre la console de l’invité (VM) ou le journal de slipwayd (processus local)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dismiss</source>
        <translation>Masquer</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutModel</name>
    <message>
        <location filename="../gui/models/rollout_model.cpp" line="+156"/>
        <source>%1 (current)</source>
        <translation>%1 (actuelle)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready → %3</source>
        <extracomment>pods ready of pods it has, then the count it is being scaled to</extracomment>
        <translation>%1 sur %2 prêts → %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready</source>
        <extracomment>pods ready of pods it has</extracomment>
        <translation>%1 sur %2 prêts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;none&gt;</source>
        <translation>&lt;aucune&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Revision %1: ReplicaSet %2, %3 pods, %4 ready, %5 available</source>
        <translation>Révision %1 : ReplicaSet %2, %3 Pods, %4 prêts, %5 disponibles</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Revision</source>
        <translation>Révision</translation>
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
        <translation>Cause du changement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ReplicaSet</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Choose a Deployment.</source>
        <translation>Choisissez un Deployment.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployment %1 not found.</source>
        <translation>Deployment %1 introuvable.</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Stuck: deployment &quot;%1&quot; exceeded its progress deadline</source>
        <translation>Bloqué : le Deployment « %1 » a dépassé son délai de progression</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New pods are not becoming ready: %1</source>
        <translation>Les nouveaux Pods ne deviennent pas prêts : %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stuck: the new pods of deployment &quot;%1&quot; are failing</source>
        <translation>Bloqué : les nouveaux Pods du Deployment « %1 » échouent</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused: changes to the template are recorded but not rolled out</source>
        <translation>En pause : les modifications du modèle sont enregistrées mais pas déployées</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment spec update to be observed…</source>
        <translation>En attente de la prise en compte de la mise à jour de la spécification du Deployment…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 out of %3 new replicas have been updated…</source>
        <translation>En attente de la fin du déploiement du Deployment « %1 » : %2 nouveaux réplicas sur %3 ont été mis à jour…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 old replicas are pending termination…</source>
        <translation>En attente de la fin du déploiement du Deployment « %1 » : %2 anciens réplicas sont en attente d’arrêt…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 of %3 updated replicas are available…</source>
        <translation>En attente de la fin du déploiement du Deployment « %1 » : %2 réplicas mis à jour sur %3 sont disponibles…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment &quot;%1&quot; successfully rolled out</source>
        <translation>Le Deployment « %1 » a été déployé avec succès</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Recreate: the old pod is stopped before the new pod starts, so the application is unavailable in between.</source>
        <translation>Recreate : l’ancien Pod est arrêté avant le démarrage du nouveau ; l’application est donc indisponible entre-temps.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Recreate: all %n old pods are stopped before any new pod starts, so the application is unavailable in between.</source>
        <translation>
            <numerusform>Recreate : %n ancien Pod est arrêté avant le démarrage de tout nouveau Pod ; l’application est donc indisponible entre-temps.</numerusform>
            <numerusform>Recreate : les %n anciens Pods sont tous arrêtés avant le démarrage de tout nouveau Pod ; l’application est donc indisponible entre-temps.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 %2 of %3, rounded up</source>
        <translation>%1 %2 de %3, arrondi au supérieur</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 of %3, rounded down</source>
        <translation>%1 %2 de %3, arrondi à l’inférieur</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>RollingUpdate: at most 1 extra pod (%1)</source>
        <translation>RollingUpdate : au plus 1 Pod supplémentaire (%1)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>RollingUpdate: at most %n extra pods (%1)</source>
        <translation>
            <numerusform>RollingUpdate : au plus %n Pod supplémentaire (%1)</numerusform>
            <numerusform>RollingUpdate : au plus %n Pods supplémentaires (%1)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> and at most %1 unavailable (%2).</source>
        <translation> et au plus %1 indisponible(s) (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>both resolve to 0, so 1 is allowed</source>
        <translation>les deux valent 0, donc 1 est autorisé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>During a rollout there are at most %1 pods and at least %2 available.</source>
        <translation>Pendant un déploiement progressif, il y a au plus %1 Pods et au moins %2 disponibles.</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+72"/>
        <source>No Deployment chosen.</source>
        <translation>Aucun Deployment choisi.</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment %1 has no container %2.</source>
        <translation>Le Deployment %1 n’a pas de conteneur %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The image must not be empty.</source>
        <translation>L’image ne doit pas être vide.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Set image %1=%2</source>
        <translation>Définir l’image %1=%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replicas must not be negative.</source>
        <translation>Le nombre de réplicas ne doit pas être négatif.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scale to 1 replica</source>
        <translation>Mettre à l’échelle à 1 réplica</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Scale to %n replicas</source>
        <translation>
            <numerusform>Mettre à l’échelle à %n réplica</numerusform>
            <numerusform>Mettre à l’échelle à %n réplicas</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is already paused.</source>
        <translation>Le Deployment %1 est déjà en pause.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause rollout</source>
        <translation>Suspendre le déploiement</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is not paused.</source>
        <translation>Le Deployment %1 n’est pas en pause.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume rollout</source>
        <translation>Reprendre le déploiement</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is paused; resume it before restarting.</source>
        <translation>Le Deployment %1 est en pause ; reprenez-le avant de le redémarrer.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Restart rollout</source>
        <translation>Redémarrer le déploiement</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>You cannot rollback a paused deployment; resume it first.</source>
        <translation>Impossible d’annuler un Deployment en pause ; reprenez-le d’abord.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unable to find specified revision %1 in history.</source>
        <translation>Révision %1 introuvable dans l’historique.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skipped rollback (current template already matches revision %1).</source>
        <translation>Annulation ignorée (le modèle actuel correspond déjà à la révision %1).</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Undo to revision %1</source>
        <translation>Revenir à la révision %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: done</source>
        <translation>%1 : terminé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed: %2</source>
        <translation>Échec de « %1 » : %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPage</name>
    <message>
        <location filename="../gui/views/rollout_page.cpp" line="+34"/>
        <source>Set &amp;image…</source>
        <translation>Définir l’&amp;image…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>&amp;Suspendre</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Scale…</source>
        <translation>&amp;Mettre à l’échelle…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resu&amp;me</source>
        <translation>&amp;Reprendre</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;estart</source>
        <translation>R&amp;edémarrer</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>&amp;Undo to revision…</source>
        <translation>Re&amp;venir à la révision…</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>&amp;Deployment:</source>
        <translation>&amp;Deployment :</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rollouts</source>
        <translation>Déploiements</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revision history, pods and replica timeline of a Deployment, with its rollout commands.</source>
        <translation>Historique des révisions, Pods et chronologie des réplicas d’un Deployment, avec ses commandes de déploiement.</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+9"/>
        <source>Revision history</source>
        <translation>Historique des révisions</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pods of each revision</source>
        <translation>Pods de chaque révision</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>&amp;Undo to revision %1</source>
        <translation>Re&amp;venir à la révision %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+7"/>
        <source>Set Image</source>
        <translation>Définir l’image</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Container:</source>
        <translation>Conteneur :</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New image for container %1:</source>
        <translation>Nouvelle image pour le conteneur %1 :</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Scale</source>
        <translation>Mettre à l’échelle</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Replicas:</source>
        <translation>Réplicas :</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPodsView</name>
    <message>
        <location filename="../gui/views/rollout_pods_view.cpp" line="+38"/>
        <source>Pods of each revision</source>
        <translation>Pods de chaque révision</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revision %1: %2 pods, %3 ready</source>
        <translation>Révision %1 : %2 Pods, %3 prêts</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No pods.</source>
        <translation>Aucun Pod.</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Revision %1 (new)</source>
        <translation>Révision %1 (nouvelle)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revision %1</source>
        <translation>Révision %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2</source>
        <translation>%1 : %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutTimelineChart</name>
    <message>
        <location filename="../gui/views/rollout_timeline_chart.cpp" line="+39"/>
        <source>Replicas during the rollout</source>
        <translation>Réplicas pendant le déploiement</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>desired</source>
        <translation>souhaités</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>updated</source>
        <translation>mis à jour</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>prêts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>available</source>
        <translation>disponibles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>old ReplicaSets</source>
        <translation>anciens ReplicaSets</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new ReplicaSet</source>
        <translation>nouveau ReplicaSet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seconds</source>
        <translation>secondes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replicas</source>
        <translation>réplicas</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Rollout timeline</source>
        <translation>Chronologie du déploiement</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyModel</name>
    <message>
        <location filename="../gui/models/topology_model.cpp" line="+240"/>
        <source>Unknown</source>
        <translation>Inconnu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Creating containers</source>
        <translation>Création des conteneurs</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+180"/>
        <source>Progressing</source>
        <translation>En cours</translation>
    </message>
    <message>
        <location line="-178"/>
        <location line="+251"/>
        <source>Running</source>
        <translation>En cours d’exécution</translation>
    </message>
    <message>
        <location line="-249"/>
        <location line="+173"/>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <location line="-171"/>
        <source>Not ready</source>
        <translation>Pas prêt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Crash loop</source>
        <translation>Plantages en boucle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminating</source>
        <translation>Arrêt en cours</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Succeeded</source>
        <translation>Réussi</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+231"/>
        <source>Failed</source>
        <translation>Échoué</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Scaled to zero</source>
        <translation>Réduit à zéro</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Progress deadline exceeded</source>
        <translation>Délai de progression dépassé</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Complete</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Suspended</source>
        <translation>Suspendu</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyPage</name>
    <message>
        <location filename="../gui/views/topology_page.cpp" line="+59"/>
        <location line="+1"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Last transition</source>
        <translation>Dernière transition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Âge</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>Source</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology</source>
        <translation>Topologie</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live graph of the cluster&apos;s workloads, services, pods and nodes, with the selected object&apos;s details beside it.</source>
        <translation>Graphe en direct des charges de travail, Services, Pods et nœuds du cluster, avec à côté les détails de l’objet sélectionné.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology graph</source>
        <translation>Graphe de topologie</translation>
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
        <translation>Tous les kinds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workloads</source>
        <translation>Charges de travail</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Label selector, e.g. app=web</source>
        <translation>Sélecteur de labels, p. ex. app=web</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label selector</source>
        <translation>Sélecteur de labels</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search (Enter: next match)</source>
        <translation>Rechercher (Entrée : résultat suivant)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Zoom out (-)</source>
        <translation>Zoom arrière (-)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in (+)</source>
        <translation>Zoom avant (+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>Ajuster</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit everything (0)</source>
        <translation>Tout afficher (0)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Namespace:</source>
        <translation>Namespace :</translation>
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
        <translation>Conditions</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Lo&amp;gs…</source>
        <translation>&amp;Journaux…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+55"/>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+123"/>
        <source>Select an object to see its details.</source>
        <translation>Sélectionnez un objet pour voir ses détails.</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>Follow the selected Pod&apos;s log, or those of every pod of the selected Deployment, in a Logs tab</source>
        <translation>Suivre le journal du Pod sélectionné, ou ceux de tous les pods du Deployment sélectionné, dans un onglet Journaux</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>All namespaces</source>
        <translation>Tous les namespaces</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Label selector: %1</source>
        <translation>Sélecteur de labels : %1</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 in %3</source>
        <translation>%1 %2 dans %3</translation>
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
        <translation>Topologie du cluster</translation>
    </message>
    <message>
        <location line="+375"/>
        <source>Unscheduled</source>
        <translation>Non planifiés</translation>
    </message>
</context>
</TS>
