<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+66"/>
        <source>Create and watch local Kubernetes-style clusters.</source>
        <translation>ローカルの Kubernetes 互換クラスターを作成して監視します。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keep clusters in &lt;dir&gt; instead of the default folder.</source>
        <translation>既定のフォルダーの代わりに &lt;フォルダー&gt; にクラスターを保存します。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>dir</source>
        <translation>フォルダー</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+69"/>
        <source>Created %1</source>
        <translation>作成日時: %1</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Driver</source>
        <translation>ドライバー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CPUs</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Memory</source>
        <translation>メモリ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nodes</source>
        <translation>ノード</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>API address</source>
        <translation>API アドレス</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Age</source>
        <translation>経過時間</translation>
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
        <translation>停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting</source>
        <translation>起動中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterManagerView</name>
    <message>
        <location filename="../gui/views/cluster_manager_view.cpp" line="+38"/>
        <source>Clusters</source>
        <translation>クラスター</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>クラスターはまだありません — %1 を実行するか、「クラスターを作成」を使用してください</translation>
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
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About Slipway Studio</source>
        <translation>Slipway Studio について(&amp;A)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About &amp;Qt</source>
        <translation>Qt について(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Looking for clusters…</source>
        <translation>クラスターを検索しています…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Could not list clusters: %1</source>
        <translation>クラスターを一覧表示できませんでした: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>About Slipway Studio</source>
        <translation>Slipway Studio について</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;ワンクリックで使える、ローカルの Kubernetes 互換クラスター。&lt;/p&gt;&lt;p&gt;クラスターの保存先: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>1 cluster</source>
        <extracomment>Status bar</extracomment>
        <translation>クラスター 1 個</translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n clusters</source>
        <extracomment>Status bar; %n is never 1 here</extracomment>
        <translation>
            <numerusform>クラスター %n 個</numerusform>
        </translation>
    </message>
</context>
</TS>
