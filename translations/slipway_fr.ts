<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+66"/>
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
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+69"/>
        <source>Created %1</source>
        <translation>Créé le %1</translation>
    </message>
    <message>
        <location line="+76"/>
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
        <location line="+138"/>
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
        <location filename="../gui/views/cluster_manager_view.cpp" line="+38"/>
        <source>Clusters</source>
        <translation>Clusters</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>Aucun cluster pour l’instant — lancez %1 ou utilisez « Créer un cluster »</translation>
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
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location line="+14"/>
        <source>Could not list clusters: %1</source>
        <translation>Impossible de lister les clusters : %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>About Slipway Studio</source>
        <translation>À propos de Slipway Studio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Des clusters locaux de type Kubernetes en un clic.&lt;/p&gt;&lt;p&gt;Les clusters sont conservés dans %2.&lt;/p&gt;</translation>
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
</TS>
