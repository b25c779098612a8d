<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+66"/>
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
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+69"/>
        <source>Created %1</source>
        <translation>Creado el %1</translation>
    </message>
    <message>
        <location line="+76"/>
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
        <location line="+138"/>
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
        <location filename="../gui/views/cluster_manager_view.cpp" line="+38"/>
        <source>Clusters</source>
        <translation>Clústeres</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>Todavía no hay clústeres — ejecute %1 o use «Crear clúster»</translation>
    </message>
</context>
<context>
    <name>slipway::gui::MainWindow</name>
    <message>
        <location filename="../gui/app/main_window.cpp" line="+25"/>
        <source>Slipway Studio</source>
        <translation>Slipway Studio</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location line="+14"/>
        <source>Could not list clusters: %1</source>
        <translation>No se pudieron listar los clústeres: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>About Slipway Studio</source>
        <translation>Acerca de Slipway Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Clústeres locales al estilo de Kubernetes con un clic.&lt;/p&gt;&lt;p&gt;Los clústeres se guardan en %2.&lt;/p&gt;</translation>
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
</TS>
