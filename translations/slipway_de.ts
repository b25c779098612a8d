<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+66"/>
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
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+69"/>
        <source>Created %1</source>
        <translation>Erstellt am %1</translation>
    </message>
    <message>
        <location line="+76"/>
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
        <location filename="../gui/views/cluster_manager_view.cpp" line="+38"/>
        <source>Clusters</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>Noch keine Cluster — führen Sie %1 aus oder verwenden Sie „Cluster erstellen“</translation>
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
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location line="+14"/>
        <source>Could not list clusters: %1</source>
        <translation>Cluster konnten nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>About Slipway Studio</source>
        <translation>Über Slipway Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Lokale Kubernetes-artige Cluster mit einem Klick.&lt;/p&gt;&lt;p&gt;Cluster werden in %2 abgelegt.&lt;/p&gt;</translation>
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
</TS>
