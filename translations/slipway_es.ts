<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>ExampleApps</name>
    <message>
        <location filename="../gui/models/example_apps.cpp" line="+32"/>
        <source>Hello web app</source>
        <translation>Aplicación web Hello</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Deployment of two slipway.local/hello:1 replicas and a Service hello.</source>
        <translation>Un Deployment con dos réplicas de slipway.local/hello:1 y un Service hello.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Countdown Job</source>
        <translation>Job de cuenta atrás</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Job whose busybox container counts down from 10 and ends.</source>
        <translation>Un Job cuyo contenedor busybox cuenta hacia atrás desde 10 y termina.</translation>
    </message>
</context>
<context>
    <name>TerminalLauncher</name>
    <message>
        <location filename="../gui/services/terminal_launcher.cpp" line="+53"/>
        <source>No terminal emulator found: set $TERMINAL or install one of %1.</source>
        <translation>No se encontró ningún emulador de terminal: defina $TERMINAL o instale uno de estos: %1.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not start %1: %2</source>
        <translation>No se pudo iniciar %1: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+166"/>
        <source>Create and watch local Kubernetes-style clusters.</source>
        <translation>Crear y supervisar clústeres locales al estilo de Kubernetes.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep clusters in &lt;dir&gt; instead of the default folder.</source>
        <translation>Guardar los clústeres en &lt;carpeta&gt; en lugar de la carpeta predeterminada.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dir</source>
        <translation>carpeta</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open the topology of the cluster in &lt;file&gt;.</source>
        <translation>Abrir la topología del clúster de &lt;archivo&gt;.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>file</source>
        <translation>archivo</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>With --kubeconfig: use &lt;name&gt; instead of the current context.</source>
        <translation>Con --kubeconfig: usar &lt;nombre&gt; en lugar del contexto actual.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &lt;file&gt; in the manifest editor.</source>
        <translation>Abrir &lt;archivo&gt; en el editor de manifiestos.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use a dark colour scheme whatever the desktop&apos;s (as does SLIPWAY_STUDIO_DARK=1).</source>
        <translation>Usar un esquema de colores oscuro, sea cual sea el del escritorio (igual que SLIPWAY_STUDIO_DARK=1).</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ApplyService</name>
    <message>
        <location filename="../gui/services/apply_service.cpp" line="+171"/>
        <source> (server dry run)</source>
        <translation> (simulación en el servidor)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>metadata.name is required</source>
        <translation>metadata.name es obligatorio</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>created</source>
        <translation>creado</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unchanged</source>
        <translation>sin cambios</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>configured</source>
        <translation>configurado</translation>
    </message>
</context>
<context>
    <name>slipway::gui::BootLogDialog</name>
    <message>
        <location filename="../gui/views/boot_log_dialog.cpp" line="+20"/>
        <source>Boot Log of %1</source>
        <translation>Registro de arranque de %1</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reading…</source>
        <translation>Leyendo…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Following the file; new lines appear as they are written.</source>
        <translation>Siguiendo el archivo; las líneas nuevas aparecen a medida que se escriben.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The log does not exist yet; it appears once the machine starts.</source>
        <translation>El registro todavía no existe; aparecerá en cuanto arranque la máquina.</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterActions</name>
    <message>
        <location filename="../gui/app/cluster_actions.cpp" line="+72"/>
        <source>&quot;%1&quot; is running; example apps: %2</source>
        <translation>«%1» está en ejecución; aplicaciones de ejemplo: %2</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Creating “%1”</source>
        <translation>Creando «%1»</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting “%1”</source>
        <translation>Iniciando «%1»</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopping “%1”</source>
        <translation>Deteniendo «%1»</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing “%1”</source>
        <translation>Pausando «%1»</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resuming “%1”</source>
        <translation>Reanudando «%1»</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleting “%1”</source>
        <translation>Eliminando «%1»</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Open Terminal Here</source>
        <translation>Abrir terminal aquí</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Opened a terminal for “%1” with KUBECONFIG=%2</source>
        <translation>Se abrió un terminal para «%1» con KUBECONFIG=%2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+72"/>
        <source>Created %1</source>
        <translation>Creado el %1</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Driver</source>
        <translation>Controlador</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory</source>
        <translation>Memoria</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nodes</source>
        <translation>Nodos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API address</source>
        <translation>Dirección de la API</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Age</source>
        <translation>Antigüedad</translation>
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
        <translation>Detenido</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting</source>
        <translation>Iniciando</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>En ejecución</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Error</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterManagerView</name>
    <message>
        <location filename="../gui/views/cluster_manager_view.cpp" line="+46"/>
        <source>Clusters</source>
        <translation>Clústeres</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Create Cluster…</source>
        <translation>Crear clúster…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a cluster with the wizard</source>
        <translation>Crear un clúster con el asistente</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start the selected cluster</source>
        <translation>Iniciar el clúster seleccionado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut the selected cluster down (its data is kept)</source>
        <translation>Apagar el clúster seleccionado (sus datos se conservan)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze the selected cluster where it is; Resume lets it go on</source>
        <translation>Congelar el clúster seleccionado tal como está; «Reanudar» lo deja continuar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Let the paused cluster run</source>
        <translation>Dejar que el clúster en pausa siga ejecutándose</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>Eliminar…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the selected cluster and delete it with all its data</source>
        <translation>Detener el clúster seleccionado y eliminarlo con todos sus datos</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy Kubeconfig</source>
        <translation>Copiar kubeconfig</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy an export KUBECONFIG=… line for the selected cluster: paste it into a terminal and kubectl uses that cluster</source>
        <translation>Copiar una línea «export KUBECONFIG=…» para el clúster seleccionado: péguela en un terminal y kubectl usará ese clúster</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Terminal Here</source>
        <translation>Abrir terminal aquí</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a terminal in the cluster&apos;s folder with KUBECONFIG set to its kubeconfig</source>
        <translation>Abrir un terminal en la carpeta del clúster con KUBECONFIG apuntando a su kubeconfig</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Copied &quot;%1&quot;: paste it into a terminal to use %2 with kubectl</source>
        <translation>Copiado «%1»: péguelo en un terminal para usar %2 con kubectl</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete Cluster</source>
        <translation>Eliminar clúster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the cluster &quot;%1&quot;?</source>
        <translation>¿Eliminar el clúster «%1»?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its machines are stopped and its folder, with every object and volume in it, is removed. This cannot be undone.</source>
        <translation>Sus máquinas se detienen y su carpeta, con todos los objetos y volúmenes que contiene, se elimina. Esta acción no se puede deshacer.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>Todavía no hay clústeres — ejecute %1 o use «Crear clúster»</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterService</name>
    <message>
        <location filename="../gui/services/cluster_service.cpp" line="+158"/>
        <location line="+98"/>
        <source>Another operation on &quot;%1&quot; is still running.</source>
        <translation>Todavía hay otra operación en curso sobre «%1».</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Deploying the example apps</source>
        <translation>Desplegando las aplicaciones de ejemplo</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+9"/>
        <source>The cluster runs, but deploying the examples failed: %1</source>
        <translation>El clúster está en ejecución, pero el despliegue de los ejemplos falló: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterTrayIcon</name>
    <message>
        <location filename="../gui/views/cluster_tray_icon.cpp" line="+52"/>
        <source>Slipway: no clusters</source>
        <translation>Slipway: ningún clúster</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Slipway: %1 of %n cluster(s) running</source>
        <translation>
            <numerusform>Slipway: %1 de %n clúster en ejecución</numerusform>
            <numerusform>Slipway: %1 de %n clústeres en ejecución</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Show Slipway Studio</source>
        <translation>Mostrar Slipway Studio</translation>
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
        <translation>Iniciar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quit</source>
        <translation>Salir</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizard</name>
    <message>
        <location filename="../gui/views/cluster_wizard.cpp" line="+50"/>
        <source>Create Cluster</source>
        <translation>Crear clúster</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create</source>
        <translation>Crear</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Name and driver</source>
        <translation>Nombre y controlador</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name is used for the cluster&apos;s folder, its VMs and its kubectl context.</source>
        <translation>El nombre se usa para la carpeta del clúster, sus VM y su contexto de kubectl.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Virtual machine (libvirt)</source>
        <translation>Máquina virtual (libvirt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Local process (slipwayd on this machine)</source>
        <translation>Proceso local (slipwayd en esta máquina)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Driver:</source>
        <translation>Controlador:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resources</source>
        <translation>Recursos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What each node may use, up to what this machine has.</source>
        <translation>Lo que puede usar cada nodo, hasta lo que tiene esta máquina.</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>CPUs:</source>
        <translation>CPU:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory:</source>
        <translation>Memoria:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk:</source>
        <translation>Disco:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nodes:</source>
        <translation>Nodos:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Example apps</source>
        <translation>Aplicaciones de ejemplo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployed once the cluster is up, as kubectl apply would.</source>
        <translation>Se despliegan en cuanto el clúster está listo, como lo haría kubectl apply.</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+5"/>
        <source>%1 of %2</source>
        <translation>%1 de %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 GiB of %2 GiB free</source>
        <translation>%1 GiB de %2 GiB libres</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&quot;%1&quot;: %2, %3 CPU(s), %4, %5 GiB disk, %6 node(s).</source>
        <translation>«%1»: %2, %3 CPU, %4, %5 GiB de disco, %6 nodo(s).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libvirt VM</source>
        <translation>VM de libvirt</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>local process</source>
        <translation>proceso local</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizardModel</name>
    <message>
        <location filename="../gui/models/cluster_wizard_model.cpp" line="+91"/>
        <source>Enter a name for the cluster.</source>
        <translation>Introduzca un nombre para el clúster.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A name has at most 63 characters (this one has %1).</source>
        <translation>Un nombre tiene como máximo 63 caracteres (este tiene %1).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use lower-case letters: &quot;%1&quot; is not allowed.</source>
        <translation>Use letras minúsculas: «%1» no está permitido.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only lower-case letters, digits and &apos;-&apos; are allowed, not &quot;%1&quot;.</source>
        <translation>Solo se permiten letras minúsculas, dígitos y «-», no «%1».</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The name must start and end with a letter or a digit.</source>
        <translation>El nombre debe empezar y terminar con una letra o un dígito.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A cluster called &quot;%1&quot; already exists.</source>
        <translation>Ya existe un clúster llamado «%1».</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Checking whether this machine can run it…</source>
        <translation>Comprobando si esta máquina puede ejecutarlo…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>This machine has %1 MiB of memory; a cluster needs at least %2 MiB.</source>
        <translation>Esta máquina tiene %1 MiB de memoria; un clúster necesita al menos %2 MiB.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only %1 GiB are free where clusters are kept; a cluster needs at least %2 GiB.</source>
        <translation>Solo quedan %1 GiB libres donde se guardan los clústeres; un clúster necesita al menos %2 GiB.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A local-process cluster has one node: this machine.</source>
        <translation>Un clúster de proceso local tiene un solo nodo: esta máquina.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Checking what this machine has…</source>
        <translation>Comprobando los recursos de esta máquina…</translation>
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
        <translation>Aplicado en %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dry run on %1</source>
        <translation>Simulación en %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff against %1</source>
        <translation>Diferencias con %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No differences: the cluster matches the manifest.</source>
        <translation>Sin diferencias: el clúster coincide con el manifiesto.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not reach the cluster</source>
        <translation>No se pudo contactar con el clúster</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Manifest: %1</source>
        <translation>Manifiesto: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open Manifest</source>
        <translation>Abrir manifiesto</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>Manifiestos YAML (*.yaml *.yml);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No recent manifests</source>
        <translation>No hay manifiestos recientes</translation>
    </message>
</context>
<context>
    <name>slipway::gui::EventModel</name>
    <message>
        <location filename="../gui/models/event_model.cpp" line="+45"/>
        <source>&lt;unknown&gt;</source>
        <translation>&lt;desconocido&gt;</translation>
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
        <translation>Advertencia</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Last seen</source>
        <translation>Visto por última vez</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Object</source>
        <translation>Objeto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Count</source>
        <translation>Recuento</translation>
    </message>
    <message>
        <location line="+117"/>
        <source> No node has enough free CPU for the pod&apos;s requests.</source>
        <translation> Ningún nodo tiene suficiente CPU libre para las solicitudes (requests) del Pod.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> No node has enough free memory for the pod&apos;s requests.</source>
        <translation> Ningún nodo tiene suficiente memoria libre para las solicitudes (requests) del Pod.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> The nodes carry taints the pod does not tolerate.</source>
        <translation> Los nodos tienen taints que el Pod no tolera.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> No node matches the pod&apos;s node selector or affinity rules.</source>
        <translation> Ningún nodo coincide con el selector de nodos ni con las reglas de afinidad del Pod.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The scheduler found no node to run this pod on, so it stays Pending.</source>
        <translation>El planificador no encontró ningún nodo donde ejecutar este Pod, por lo que sigue en Pending.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> Lower its resource requests, add or free nodes, or relax its constraints; the scheduler keeps trying.</source>
        <translation> Reduzca sus solicitudes de recursos, añada o libere nodos, o relaje sus restricciones; el planificador sigue intentándolo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pulling the image failed several times; the node now waits longer and longer before trying again (ImagePullBackOff). Check the image name, tag and registry credentials.</source>
        <translation>La descarga de la imagen ha fallado varias veces; el nodo espera ahora cada vez más antes de volver a intentarlo (ImagePullBackOff). Compruebe el nombre de la imagen, la etiqueta y las credenciales del registro.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container keeps exiting and the node waits longer and longer before restarting it (CrashLoopBackOff). Look at the container&apos;s logs, including those of its previous run, to see why it exits.</source>
        <translation>El contenedor termina una y otra vez y el nodo espera cada vez más antes de reiniciarlo (CrashLoopBackOff). Consulte los registros del contenedor, incluidos los de su ejecución anterior, para ver por qué termina.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A probe failed. A failing readiness probe takes the pod out of its Services&apos; endpoints; a failing liveness probe gets the container restarted. Check the probe&apos;s path, port and timings against what the application does.</source>
        <translation>Ha fallado una sonda. Una sonda readiness fallida saca el Pod de los endpoints de sus Services; una sonda liveness fallida hace que se reinicie el contenedor. Compare la ruta, el puerto y los tiempos de la sonda con lo que hace la aplicación.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The Deployment controller changed how many pods a ReplicaSet should have. During a rollout it scales the new ReplicaSet up and the old one down, step by step, within maxSurge and maxUnavailable.</source>
        <translation>El controlador de Deployment cambió cuántos Pods debe tener un ReplicaSet. Durante un despliegue escala el ReplicaSet nuevo hacia arriba y el antiguo hacia abajo, paso a paso, dentro de maxSurge y maxUnavailable.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is stopping this container: the pod is being deleted (scale down, rollout, eviction) or a liveness probe failed. It gets its grace period to shut down cleanly.</source>
        <translation>El nodo está deteniendo este contenedor: el Pod se está eliminando (reducción de escala, despliegue, desalojo) o ha fallado una sonda liveness. Dispone de su periodo de gracia para cerrarse limpiamente.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is downloading the container image.</source>
        <translation>El nodo está descargando la imagen del contenedor.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container image is on the node and the container can be created.</source>
        <translation>La imagen del contenedor está en el nodo y el contenedor puede crearse.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node could not download the container image: the name or tag may be wrong, the registry unreachable, or credentials (imagePullSecrets) missing. The node retries with growing delays.</source>
        <translation>El nodo no pudo descargar la imagen del contenedor: puede que el nombre o la etiqueta sean incorrectos, que el registro no esté accesible o que falten credenciales (imagePullSecrets). El nodo lo reintenta con esperas cada vez mayores.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting the container failed; the message says why.</source>
        <translation>No se pudo iniciar el contenedor; el mensaje indica por qué.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller created a pod (or Job) it owns, to reach the number it wants.</source>
        <translation>Un controlador creó un Pod (o Job) propio para alcanzar el número que desea.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller deleted a pod it owns, because it has more than it wants.</source>
        <translation>Un controlador eliminó un Pod propio porque tiene más de los que desea.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller could not create a pod: a quota, a policy or an invalid template refused it. The message names the cause.</source>
        <translation>Un controlador no pudo crear un Pod: una cuota, una política o una plantilla no válida lo rechazó. El mensaje indica la causa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Deployment made no progress for progressDeadlineSeconds: its new pods do not become available. The rollout is stuck (not rolled back); fix the template or undo to an earlier revision.</source>
        <translation>El Deployment no ha progresado durante progressDeadlineSeconds: sus Pods nuevos no pasan a estar disponibles. El despliegue está atascado (no se revierte); corrija la plantilla o vuelva a una revisión anterior.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The scheduler chose a node for the pod; the node now starts it.</source>
        <translation>El planificador eligió un nodo para el Pod; ahora el nodo lo inicia.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node created the container.</source>
        <translation>El nodo creó el contenedor.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container&apos;s process is running.</source>
        <translation>El proceso del contenedor está en ejecución.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A volume of the pod could not be mounted, so its containers cannot start. A missing ConfigMap, Secret or PersistentVolumeClaim is the usual cause.</source>
        <translation>No se pudo montar un volumen del Pod, así que sus contenedores no pueden iniciarse. La causa habitual es un ConfigMap, Secret o PersistentVolumeClaim que falta.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container used more memory than its limit and was killed. Raise the memory limit or reduce what the application uses.</source>
        <translation>El contenedor usó más memoria que su límite y fue terminado. Aumente el límite de memoria o reduzca lo que usa la aplicación.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node removed the pod to reclaim a scarce resource (memory, disk).</source>
        <translation>El nodo retiró el Pod para recuperar un recurso escaso (memoria, disco).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node stopped reporting that it is healthy; its pods may be evicted if it does not come back.</source>
        <translation>El nodo ha dejado de informar de que está en buen estado; sus Pods pueden ser desalojados si no vuelve.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node joined the cluster or became ready to run pods.</source>
        <translation>El nodo se unió al clúster o está listo para ejecutar Pods.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Job&apos;s pods finished successfully.</source>
        <translation>Los Pods del Job terminaron correctamente.</translation>
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
        <translation>Tipo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All types</source>
        <translation>Todos los tipos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>Advertencias</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>Normal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by reason, message or object…</source>
        <translation>Filtrar por motivo, mensaje u objeto…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter text</source>
        <translation>Texto del filtro</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+27"/>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>The cluster&apos;s events, newest first, with an explanation of the selected one.</source>
        <translation>Los eventos del clúster, los más recientes primero, con una explicación del seleccionado.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explanation</source>
        <translation>Explicación</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fil&amp;ter:</source>
        <translation>&amp;Filtro:</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>All namespaces</source>
        <translation>Todos los namespaces</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All kinds</source>
        <translation>Todos los kinds</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Select an event to see what it means.</source>
        <translation>Seleccione un evento para ver qué significa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2: %3</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; en %2: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;i&gt;No explanation for this reason yet.&lt;/i&gt;</source>
        <translation>&lt;i&gt;Todavía no hay explicación para este motivo.&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogModel</name>
    <message>
        <location filename="../gui/models/log_model.cpp" line="+253"/>
        <source>log of %1 ended</source>
        <translation>registro de %1 terminado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>log of %1 unavailable: %2</source>
        <translation>registro de %1 no disponible: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogPage</name>
    <message>
        <location filename="../gui/views/log_page.cpp" line="+23"/>
        <source>F&amp;ollow</source>
        <translation>&amp;Seguir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cl&amp;ear</source>
        <translation>&amp;Borrar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scroll to &amp;new lines</source>
        <translation>Desplazarse a las líneas &amp;nuevas</translation>
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
        <translation>Seguir el registro de un</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pod or Deployment</source>
        <translation>Pod o Deployment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logs</source>
        <translation>Registros</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follows the log of a pod or of all pods of a Deployment.</source>
        <translation>Sigue el registro de un Pod o de todos los Pods de un Deployment.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Log of:</source>
        <translation>&amp;Registro de:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Log lines</source>
        <translation>Líneas del registro</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Following %1</source>
        <translation>Siguiendo %1</translation>
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
        <translation>Clústeres</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Slipway&apos;s clusters on this computer</source>
        <translation>Los clústeres de Slipway en este equipo</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Connect to Kubeconfig Context…</source>
        <translation>&amp;Conectar a un contexto de kubeconfig…</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+228"/>
        <location line="+6"/>
        <source>Connect to Kubeconfig Context</source>
        <translation>Conectar a un contexto de kubeconfig</translation>
    </message>
    <message>
        <location line="-233"/>
        <source>Could not read %1: %2</source>
        <translation>No se pudo leer %1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Manifest</source>
        <translation>&amp;Nuevo manifiesto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open Manifest…</source>
        <translation>&amp;Abrir manifiesto…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;Recent Manifest</source>
        <translation>Abrir manifiesto &amp;reciente</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Cluster</source>
        <translation>&amp;Clúster</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create Cluster…</source>
        <translation>&amp;Crear clúster…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;Topology</source>
        <translation>Abrir &amp;topología</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open &amp;Rollouts</source>
        <translation>Abrir &amp;despliegues</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Events</source>
        <translation>Abrir &amp;eventos</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Logs</source>
        <translation>Abrir &amp;registros</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Slipway Studio</source>
        <translation>&amp;Acerca de Slipway Studio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About &amp;Qt</source>
        <translation>Acerca de &amp;Qt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Looking for clusters…</source>
        <translation>Buscando clústeres…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Could not list clusters: %1</source>
        <translation>No se pudieron listar los clústeres: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>About Slipway Studio</source>
        <translation>Acerca de Slipway Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Clústeres locales al estilo de Kubernetes con un clic.&lt;/p&gt;&lt;p&gt;Los clústeres se guardan en %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+57"/>
        <location line="+20"/>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+59"/>
        <location line="+18"/>
        <source>Live</source>
        <translation>En vivo</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+56"/>
        <location line="+18"/>
        <location line="+20"/>
        <source>Error: %1</source>
        <translation>Error: %1</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>Topology: %1</source>
        <translation>Topología: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Select a running cluster first.</source>
        <translation>Seleccione primero un clúster en ejecución.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not running.</source>
        <translation>%1 no está en ejecución.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Rollouts: %1</source>
        <translation>Despliegues: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Events: %1</source>
        <translation>Eventos: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Logs: %1</source>
        <translation>Registros: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has no contexts.</source>
        <translation>%1 no tiene contextos.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Context in %1:</source>
        <translation>Contexto de %1:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>1 cluster</source>
        <extracomment>Status bar</extracomment>
        <translation>1 clúster</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n clusters</source>
        <extracomment>Status bar; %n is never 1 here</extracomment>
        <translation>
            <numerusform>%n clúster</numerusform>
            <numerusform>%n clústeres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestEditorPage</name>
    <message>
        <location filename="../gui/views/manifest_editor_page.cpp" line="+249"/>
        <source>Line</source>
        <translation>Línea</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+110"/>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <location line="-112"/>
        <location line="+120"/>
        <location line="+273"/>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <location line="-399"/>
        <source>Manifest editor</source>
        <translation>Editor de manifiestos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>YAML editor with a form of the current document, its problems, and a preview of what applying creates.</source>
        <translation>Editor YAML con un formulario del documento actual, sus problemas y una vista previa de lo que creará la aplicación.</translation>
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
        <translation>Salida</translation>
    </message>
    <message>
        <location line="-120"/>
        <source>Form</source>
        <translation>Formulario</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview</source>
        <translation>Vista previa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster</source>
        <translation>Clúster</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>The document of the file the form shows</source>
        <translation>El documento del archivo que muestra el formulario</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+8"/>
        <source>New</source>
        <translation>Nuevo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new manifest from a template</source>
        <translation>Empezar un manifiesto nuevo a partir de una plantilla</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open…</source>
        <translation>Abrir…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Manifest</source>
        <translation>Abrir manifiesto</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+304"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>Manifiestos YAML (*.yaml *.yml);;Todos los archivos (*)</translation>
    </message>
    <message>
        <location line="-299"/>
        <source>Open a manifest in this editor</source>
        <translation>Abrir un manifiesto en este editor</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save As…</source>
        <translation>Guardar como…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Validate</source>
        <translation>Validar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the manifest with the cluster&apos;s validation rules (F7)</source>
        <translation>Comprobar el manifiesto con las reglas de validación del clúster (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dry Run</source>
        <translation>Simulación</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send the manifest to the cluster with dryRun=All: checked, nothing stored (Ctrl+Shift+Enter)</source>
        <translation>Enviar el manifiesto al clúster con dryRun=All: se comprueba y no se guarda nada (Ctrl+Mayús+Intro)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diff</source>
        <translation>Comparar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare the live objects with the manifest (Ctrl+Shift+D)</source>
        <translation>Comparar los objetos en vivo con el manifiesto (Ctrl+Mayús+D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+239"/>
        <source>Apply</source>
        <translation>Aplicar</translation>
    </message>
    <message>
        <location line="-236"/>
        <source>Create or update the objects in the cluster (Ctrl+Enter)</source>
        <translation>Crear o actualizar los objetos en el clúster (Ctrl+Intro)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cluster:</source>
        <translation>Clúster:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no running cluster</source>
        <translation>ningún clúster en ejecución</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The cluster dry runs, diffs and applies go to</source>
        <translation>El clúster al que van las simulaciones, comparaciones y aplicaciones</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&lt;b&gt;Form&lt;/b&gt;</source>
        <translation>&lt;b&gt;Formulario&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;Preview&lt;/b&gt; — what applying creates</source>
        <translation>&lt;b&gt;Vista previa&lt;/b&gt; — lo que creará la aplicación</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Manifest</source>
        <translation>Manifiesto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not use %1: %2</source>
        <translation>No se pudo usar %1: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Untitled</source>
        <translation>Sin título</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>document %1</source>
        <translation>documento %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No problems found</source>
        <translation>No se encontraron problemas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 problem</source>
        <translation>1 problema</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n problems</source>
        <translation>
            <numerusform>%n problema</numerusform>
            <numerusform>%n problemas</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Problems (%1)</source>
        <translation>Problemas (%1)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: (empty or invalid)</source>
        <translation>%1: (vacío o no válido)</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>The manifest has %n problem(s). Apply it anyway?</source>
        <translation>
            <numerusform>El manifiesto tiene %n problema. ¿Aplicarlo de todos modos?</numerusform>
            <numerusform>El manifiesto tiene %n problemas. ¿Aplicarlo de todos modos?</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unsaved Changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation>%1 tiene cambios sin guardar. ¿Desea guardarlos?</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save Manifest</source>
        <translation>Guardar manifiesto</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 failed</source>
        <translation>%1: falló</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Talking to the cluster…</source>
        <translation>Comunicando con el clúster…</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestFormModel</name>
    <message>
        <location filename="../gui/models/manifest_form_model.cpp" line="+53"/>
        <source>Name</source>
        <translation>Nombre</translation>
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
        <translation>Estrategia</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Selector app</source>
        <translation>Selector app</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Pod label app</source>
        <translation>Etiqueta app del Pod</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+33"/>
        <source>Container</source>
        <translation>Contenedor</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+33"/>
        <source>Image</source>
        <translation>Imagen</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Container port</source>
        <translation>Puerto del contenedor</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target port</source>
        <translation>Puerto de destino</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node port</source>
        <translation>Puerto de nodo</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Completions</source>
        <translation>Finalizaciones</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parallelism</source>
        <translation>Paralelismo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backoff limit</source>
        <translation>Límite de reintentos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart policy</source>
        <translation>Política de reinicio</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ingress class</source>
        <translation>Clase de Ingress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path</source>
        <translation>Ruta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path type</source>
        <translation>Tipo de ruta</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service port</source>
        <translation>Puerto del Service</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Access mode</source>
        <translation>Modo de acceso</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Storage class</source>
        <translation>Clase de almacenamiento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>Tamaño</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestValidator</name>
    <message>
        <location filename="../gui/models/manifest_validator.cpp" line="+72"/>
        <source>a manifest document must be a mapping with apiVersion, kind and metadata</source>
        <translation>un documento de manifiesto debe ser un mapping con apiVersion, kind y metadata</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>no built-in kind &quot;%1&quot; in &quot;%2&quot;: only the cluster can check it (a custom resource?)</source>
        <translation>no hay ningún kind integrado «%1» en «%2»: solo el clúster puede comprobarlo (¿un recurso personalizado?)</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>cannot check this document: %1</source>
        <translation>no se puede comprobar este documento: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::OperationPanel</name>
    <message>
        <location filename="../gui/views/operation_panel.cpp" line="+39"/>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Boot Log…</source>
        <translation>Registro de arranque…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Follow the guest&apos;s console (VMs) or slipwayd&apos;s log (local process)</source>
        <translation>Seguir la consola del invitado (VM) o el registro de slipwayd (proceso local)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dismiss</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Failed: %1</source>
        <translation>Error: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutModel</name>
    <message>
        <location filename="../gui/models/rollout_model.cpp" line="+156"/>
        <source>%1 (current)</source>
        <translation>%1 (actual)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready → %3</source>
        <extracomment>pods ready of pods it has, then the count it is being scaled to</extracomment>
        <translation>%1 de %2 listos → %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready</source>
        <extracomment>pods ready of pods it has</extracomment>
        <translation>%1 de %2 listos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;none&gt;</source>
        <translation>&lt;ninguna&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Revision %1: ReplicaSet %2, %3 pods, %4 ready, %5 available</source>
        <translation>Revisión %1: ReplicaSet %2, %3 Pods, %4 listos, %5 disponibles</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Revision</source>
        <translation>Revisión</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images</source>
        <translation>Imágenes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pods</source>
        <translation>Pods</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change cause</source>
        <translation>Causa del cambio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ReplicaSet</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Choose a Deployment.</source>
        <translation>Elija un Deployment.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployment %1 not found.</source>
        <translation>No se encontró el Deployment %1.</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Stuck: deployment &quot;%1&quot; exceeded its progress deadline</source>
        <translation>Atascado: el Deployment «%1» ha superado su plazo de progreso</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New pods are not becoming ready: %1</source>
        <translation>Los Pods nuevos no pasan a estar listos: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stuck: the new pods of deployment &quot;%1&quot; are failing</source>
        <translation>Atascado: los Pods nuevos del Deployment «%1» están fallando</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused: changes to the template are recorded but not rolled out</source>
        <translation>En pausa: los cambios en la plantilla se registran pero no se despliegan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment spec update to be observed…</source>
        <translation>Esperando a que se observe la actualización de la especificación del Deployment…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 out of %3 new replicas have been updated…</source>
        <translation>Esperando a que termine el despliegue del Deployment «%1»: se han actualizado %2 de %3 réplicas nuevas…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 old replicas are pending termination…</source>
        <translation>Esperando a que termine el despliegue del Deployment «%1»: %2 réplicas antiguas están pendientes de terminar…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 of %3 updated replicas are available…</source>
        <translation>Esperando a que termine el despliegue del Deployment «%1»: %2 de %3 réplicas actualizadas están disponibles…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment &quot;%1&quot; successfully rolled out</source>
        <translation>El Deployment «%1» se desplegó correctamente</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Recreate: the old pod is stopped before the new pod starts, so the application is unavailable in between.</source>
        <translation>Recreate: el Pod antiguo se detiene antes de que arranque el nuevo, así que la aplicación no está disponible mientras tanto.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Recreate: all %n old pods are stopped before any new pod starts, so the application is unavailable in between.</source>
        <translation>
            <numerusform>Recreate: %n Pod antiguo se detiene antes de que arranque ningún Pod nuevo, así que la aplicación no está disponible mientras tanto.</numerusform>
            <numerusform>Recreate: los %n Pods antiguos se detienen antes de que arranque ningún Pod nuevo, así que la aplicación no está disponible mientras tanto.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 %2 of %3, rounded up</source>
        <translation>%1 %2 de %3, redondeado hacia arriba</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 of %3, rounded down</source>
        <translation>%1 %2 de %3, redondeado hacia abajo</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>RollingUpdate: at most 1 extra pod (%1)</source>
        <translation>RollingUpdate: como máximo 1 Pod adicional (%1)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>RollingUpdate: at most %n extra pods (%1)</source>
        <translation>
            <numerusform>RollingUpdate: como máximo %n Pod adicional (%1)</numerusform>
            <numerusform>RollingUpdate: como máximo %n Pods adicionales (%1)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> and at most %1 unavailable (%2).</source>
        <translation> y como máximo %1 no disponible(s) (%2).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>both resolve to 0, so 1 is allowed</source>
        <translation>ambos resultan en 0, así que se permite 1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>During a rollout there are at most %1 pods and at least %2 available.</source>
        <translation>Durante un despliegue hay como máximo %1 Pods y al menos %2 disponibles.</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+72"/>
        <source>No Deployment chosen.</source>
        <translation>No se ha elegido ningún Deployment.</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment %1 has no container %2.</source>
        <translation>El Deployment %1 no tiene ningún contenedor %2.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The image must not be empty.</source>
        <translation>La imagen no puede estar vacía.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Set image %1=%2</source>
        <translation>Establecer imagen %1=%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replicas must not be negative.</source>
        <translation>El número de réplicas no puede ser negativo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scale to 1 replica</source>
        <translation>Escalar a 1 réplica</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Scale to %n replicas</source>
        <translation>
            <numerusform>Escalar a %n réplica</numerusform>
            <numerusform>Escalar a %n réplicas</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is already paused.</source>
        <translation>El Deployment %1 ya está en pausa.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause rollout</source>
        <translation>Pausar el despliegue</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is not paused.</source>
        <translation>El Deployment %1 no está en pausa.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume rollout</source>
        <translation>Reanudar el despliegue</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is paused; resume it before restarting.</source>
        <translation>El Deployment %1 está en pausa; reanúdelo antes de reiniciarlo.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Restart rollout</source>
        <translation>Reiniciar el despliegue</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>You cannot rollback a paused deployment; resume it first.</source>
        <translation>No se puede revertir un Deployment en pausa; reanúdelo primero.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unable to find specified revision %1 in history.</source>
        <translation>No se encuentra la revisión %1 en el historial.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skipped rollback (current template already matches revision %1).</source>
        <translation>Reversión omitida (la plantilla actual ya coincide con la revisión %1).</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Undo to revision %1</source>
        <translation>Volver a la revisión %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: done</source>
        <translation>%1: hecho</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed: %2</source>
        <translation>%1 falló: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPage</name>
    <message>
        <location filename="../gui/views/rollout_page.cpp" line="+34"/>
        <source>Set &amp;image…</source>
        <translation>Establecer &amp;imagen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>&amp;Pausar</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Scale…</source>
        <translation>&amp;Escalar…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resu&amp;me</source>
        <translation>&amp;Reanudar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;estart</source>
        <translation>Rei&amp;niciar</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>&amp;Undo to revision…</source>
        <translation>Vol&amp;ver a la revisión…</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>&amp;Deployment:</source>
        <translation>&amp;Deployment:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rollouts</source>
        <translation>Despliegues</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revision history, pods and replica timeline of a Deployment, with its rollout commands.</source>
        <translation>Historial de revisiones, Pods y cronología de réplicas de un Deployment, con sus órdenes de despliegue.</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+9"/>
        <source>Revision history</source>
        <translation>Historial de revisiones</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pods of each revision</source>
        <translation>Pods de cada revisión</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>&amp;Undo to revision %1</source>
        <translation>Vol&amp;ver a la revisión %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+7"/>
        <source>Set Image</source>
        <translation>Establecer imagen</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Container:</source>
        <translation>Contenedor:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New image for container %1:</source>
        <translation>Imagen nueva para el contenedor %1:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Scale</source>
        <translation>Escalar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Replicas:</source>
        <translation>Réplicas:</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPodsView</name>
    <message>
        <location filename="../gui/views/rollout_pods_view.cpp" line="+38"/>
        <source>Pods of each revision</source>
        <translation>Pods de cada revisión</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revision %1: %2 pods, %3 ready</source>
        <translation>Revisión %1: %2 Pods, %3 listos</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No pods.</source>
        <translation>No hay Pods.</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Revision %1 (new)</source>
        <translation>Revisión %1 (nueva)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revision %1</source>
        <translation>Revisión %1</translation>
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
        <translation>Réplicas durante el despliegue</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>desired</source>
        <translation>deseadas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>updated</source>
        <translation>actualizadas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>listas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>available</source>
        <translation>disponibles</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>old ReplicaSets</source>
        <translation>ReplicaSets antiguos</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new ReplicaSet</source>
        <translation>ReplicaSet nuevo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seconds</source>
        <translation>segundos</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replicas</source>
        <translation>réplicas</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Rollout timeline</source>
        <translation>Cronología del despliegue</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyModel</name>
    <message>
        <location filename="../gui/models/topology_model.cpp" line="+240"/>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pending</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Creating containers</source>
        <translation>Creando contenedores</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+180"/>
        <source>Progressing</source>
        <translation>En curso</translation>
    </message>
    <message>
        <location line="-178"/>
        <location line="+251"/>
        <source>Running</source>
        <translation>En ejecución</translation>
    </message>
    <message>
        <location line="-249"/>
        <location line="+173"/>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <location line="-171"/>
        <source>Not ready</source>
        <translation>No listo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Crash loop</source>
        <translation>Fallos en bucle</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminating</source>
        <translation>Terminando</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Succeeded</source>
        <translation>Completado</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+231"/>
        <source>Failed</source>
        <translation>Fallido</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Scaled to zero</source>
        <translation>Escalado a cero</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Progress deadline exceeded</source>
        <translation>Plazo de progreso superado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>En pausa</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Complete</source>
        <translation>Completo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Suspended</source>
        <translation>Suspendido</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyPage</name>
    <message>
        <location filename="../gui/views/topology_page.cpp" line="+59"/>
        <location line="+1"/>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Last transition</source>
        <translation>Última transición</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>Antigüedad</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>Origen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology</source>
        <translation>Topología</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live graph of the cluster&apos;s workloads, services, pods and nodes, with the selected object&apos;s details beside it.</source>
        <translation>Grafo en vivo de las cargas de trabajo, Services, Pods y nodos del clúster, con los detalles del objeto seleccionado al lado.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology graph</source>
        <translation>Grafo de topología</translation>
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
        <translation>Todos los kinds</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workloads</source>
        <translation>Cargas de trabajo</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Label selector, e.g. app=web</source>
        <translation>Selector de etiquetas, p. ej. app=web</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label selector</source>
        <translation>Selector de etiquetas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search (Enter: next match)</source>
        <translation>Buscar (Intro: siguiente coincidencia)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Zoom out (-)</source>
        <translation>Alejar (-)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in (+)</source>
        <translation>Acercar (+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit everything (0)</source>
        <translation>Ajustar todo (0)</translation>
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
        <translation>Condiciones</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Lo&amp;gs…</source>
        <translation>&amp;Registros…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+55"/>
        <source>Events</source>
        <translation>Eventos</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+123"/>
        <source>Select an object to see its details.</source>
        <translation>Seleccione un objeto para ver sus detalles.</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>Follow the selected Pod&apos;s log, or those of every pod of the selected Deployment, in a Logs tab</source>
        <translation>Seguir el registro del Pod seleccionado, o los de todos los pods del Deployment seleccionado, en una pestaña de registros</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>All namespaces</source>
        <translation>Todos los namespaces</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Label selector: %1</source>
        <translation>Selector de etiquetas: %1</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 in %3</source>
        <translation>%1 %2 en %3</translation>
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
        <translation>Topología del clúster</translation>
    </message>
    <message>
        <location line="+375"/>
        <source>Unscheduled</source>
        <translation>Sin programar</translation>
    </message>
</context>
</TS>
