<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>ExampleApps</name>
    <message>
        <location filename="../gui/models/example_apps.cpp" line="+32"/>
        <source>Hello web app</source>
        <translation>Hello Web アプリ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Deployment of two slipway.local/hello:1 replicas and a Service hello.</source>
        <translation>slipway.local/hello:1 のレプリカ 2 個からなる Deployment と、Service hello。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Countdown Job</source>
        <translation>カウントダウン Job</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Job whose busybox container counts down from 10 and ends.</source>
        <translation>busybox コンテナーが 10 からカウントダウンして終了する Job。</translation>
    </message>
</context>
<context>
    <name>TerminalLauncher</name>
    <message>
        <location filename="../gui/services/terminal_launcher.cpp" line="+53"/>
        <source>No terminal emulator found: set $TERMINAL or install one of %1.</source>
        <translation>端末エミュレーターが見つかりません。$TERMINAL を設定するか、%1 のいずれかをインストールしてください。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Could not start %1: %2</source>
        <translation>%1 を起動できませんでした: %2</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../gui/app/main.cpp" line="+166"/>
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
    <message>
        <location line="+4"/>
        <source>Open the topology of the cluster in &lt;file&gt;.</source>
        <translation>&lt;ファイル&gt; のクラスターのトポロジーを開きます。</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>With --kubeconfig: use &lt;name&gt; instead of the current context.</source>
        <translation>--kubeconfig と併用: 現在のコンテキストの代わりに &lt;名前&gt; を使用します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &lt;file&gt; in the manifest editor.</source>
        <translation>&lt;ファイル&gt; をマニフェストエディターで開きます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Use a dark colour scheme whatever the desktop&apos;s (as does SLIPWAY_STUDIO_DARK=1).</source>
        <translation>デスクトップの設定にかかわらず、ダーク配色を使用します (SLIPWAY_STUDIO_DARK=1 と同じ)。</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ApplyService</name>
    <message>
        <location filename="../gui/services/apply_service.cpp" line="+171"/>
        <source> (server dry run)</source>
        <translation> (サーバー側ドライラン)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>metadata.name is required</source>
        <translation>metadata.name は必須です</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>created</source>
        <translation>作成済み</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>unchanged</source>
        <translation>変更なし</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>configured</source>
        <translation>設定済み</translation>
    </message>
</context>
<context>
    <name>slipway::gui::BootLogDialog</name>
    <message>
        <location filename="../gui/views/boot_log_dialog.cpp" line="+20"/>
        <source>Boot Log of %1</source>
        <translation>%1 の起動ログ</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reading…</source>
        <translation>読み込んでいます…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Following the file; new lines appear as they are written.</source>
        <translation>ファイルを追跡しています。新しい行は書き込まれると表示されます。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The log does not exist yet; it appears once the machine starts.</source>
        <translation>ログはまだありません。マシンが起動すると表示されます。</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterActions</name>
    <message>
        <location filename="../gui/app/cluster_actions.cpp" line="+72"/>
        <source>&quot;%1&quot; is running; example apps: %2</source>
        <translation>「%1」は実行中です。サンプルアプリ: %2</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Creating “%1”</source>
        <translation>「%1」を作成しています</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Starting “%1”</source>
        <translation>「%1」を起動しています</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stopping “%1”</source>
        <translation>「%1」を停止しています</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pausing “%1”</source>
        <translation>「%1」を一時停止しています</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resuming “%1”</source>
        <translation>「%1」を再開しています</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deleting “%1”</source>
        <translation>「%1」を削除しています</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Open Terminal Here</source>
        <translation>ここで端末を開く</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Opened a terminal for “%1” with KUBECONFIG=%2</source>
        <translation>「%1」の端末を KUBECONFIG=%2 で開きました</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterListModel</name>
    <message>
        <location filename="../gui/models/cluster_list_model.cpp" line="+72"/>
        <source>Created %1</source>
        <translation>作成日時: %1</translation>
    </message>
    <message>
        <location line="+80"/>
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
        <location filename="../gui/views/cluster_manager_view.cpp" line="+46"/>
        <source>Clusters</source>
        <translation>クラスター</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Create Cluster…</source>
        <translation>クラスターを作成…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Create a cluster with the wizard</source>
        <translation>ウィザードでクラスターを作成</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start</source>
        <translation>起動</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Start the selected cluster</source>
        <translation>選択したクラスターを起動</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shut the selected cluster down (its data is kept)</source>
        <translation>選択したクラスターをシャットダウン (データは保持されます)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Freeze the selected cluster where it is; Resume lets it go on</source>
        <translation>選択したクラスターを現在の状態のまま凍結します。「再開」で続行できます</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Let the paused cluster run</source>
        <translation>一時停止中のクラスターを再開</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the selected cluster and delete it with all its data</source>
        <translation>選択したクラスターを停止し、すべてのデータとともに削除</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy Kubeconfig</source>
        <translation>kubeconfig をコピー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy an export KUBECONFIG=… line for the selected cluster: paste it into a terminal and kubectl uses that cluster</source>
        <translation>選択したクラスター用の「export KUBECONFIG=…」行をコピーします。端末に貼り付けると kubectl がそのクラスターを使用します</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Terminal Here</source>
        <translation>ここで端末を開く</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a terminal in the cluster&apos;s folder with KUBECONFIG set to its kubeconfig</source>
        <translation>クラスターのフォルダーで端末を開き、KUBECONFIG をそのクラスターの kubeconfig に設定します</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Copied &quot;%1&quot;: paste it into a terminal to use %2 with kubectl</source>
        <translation>「%1」をコピーしました。端末に貼り付けると kubectl で %2 を使用できます</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Delete Cluster</source>
        <translation>クラスターを削除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete the cluster &quot;%1&quot;?</source>
        <translation>クラスター「%1」を削除しますか?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Its machines are stopped and its folder, with every object and volume in it, is removed. This cannot be undone.</source>
        <translation>クラスターのマシンが停止され、そのフォルダーが中のすべてのオブジェクトとボリュームとともに削除されます。この操作は元に戻せません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete</source>
        <translation>削除</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>No clusters yet — run %1 or use Create cluster</source>
        <extracomment>Shown instead of the cluster table when there are no clusters. %1 is a shell command. &quot;Create cluster&quot; names a button that arrives with the cluster wizard.</extracomment>
        <translation>クラスターはまだありません — %1 を実行するか、「クラスターを作成」を使用してください</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterService</name>
    <message>
        <location filename="../gui/services/cluster_service.cpp" line="+158"/>
        <location line="+98"/>
        <source>Another operation on &quot;%1&quot; is still running.</source>
        <translation>「%1」に対する別の操作がまだ実行中です。</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Deploying the example apps</source>
        <translation>サンプルアプリをデプロイしています</translation>
    </message>
    <message>
        <location line="+21"/>
        <location line="+9"/>
        <source>The cluster runs, but deploying the examples failed: %1</source>
        <translation>クラスターは実行中ですが、サンプルのデプロイに失敗しました: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterTrayIcon</name>
    <message>
        <location filename="../gui/views/cluster_tray_icon.cpp" line="+52"/>
        <source>Slipway: no clusters</source>
        <translation>Slipway: クラスターなし</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Slipway: %1 of %n cluster(s) running</source>
        <translation>
            <numerusform>Slipway: クラスター %n 個中 %1 個が実行中</numerusform>
        </translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Show Slipway Studio</source>
        <translation>Slipway Studio を表示</translation>
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
        <translation>起動</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizard</name>
    <message>
        <location filename="../gui/views/cluster_wizard.cpp" line="+50"/>
        <source>Create Cluster</source>
        <translation>クラスターを作成</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Create</source>
        <translation>作成</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Name and driver</source>
        <translation>名前とドライバー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The name is used for the cluster&apos;s folder, its VMs and its kubectl context.</source>
        <translation>この名前は、クラスターのフォルダー、VM、kubectl コンテキストに使用されます。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Virtual machine (libvirt)</source>
        <translation>仮想マシン (libvirt)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Local process (slipwayd on this machine)</source>
        <translation>ローカルプロセス (このマシン上の slipwayd)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Name:</source>
        <translation>名前:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Driver:</source>
        <translation>ドライバー:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resources</source>
        <translation>リソース</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What each node may use, up to what this machine has.</source>
        <translation>各ノードが使用できるリソースです (このマシンの搭載量まで)。</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>CPUs:</source>
        <translation>CPU:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory:</source>
        <translation>メモリ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disk:</source>
        <translation>ディスク:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nodes:</source>
        <translation>ノード:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Example apps</source>
        <translation>サンプルアプリ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployed once the cluster is up, as kubectl apply would.</source>
        <translation>クラスターの起動後、kubectl apply と同じようにデプロイされます。</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+5"/>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 GiB of %2 GiB free</source>
        <translation>空き %2 GiB のうち %1 GiB</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&quot;%1&quot;: %2, %3 CPU(s), %4, %5 GiB disk, %6 node(s).</source>
        <translation>「%1」: %2、CPU %3 個、%4、ディスク %5 GiB、ノード %6 個。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>libvirt VM</source>
        <translation>libvirt VM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>local process</source>
        <translation>ローカルプロセス</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ClusterWizardModel</name>
    <message>
        <location filename="../gui/models/cluster_wizard_model.cpp" line="+91"/>
        <source>Enter a name for the cluster.</source>
        <translation>クラスターの名前を入力してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A name has at most 63 characters (this one has %1).</source>
        <translation>名前は 63 文字以内です (この名前は %1 文字です)。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use lower-case letters: &quot;%1&quot; is not allowed.</source>
        <translation>小文字を使用してください。「%1」は使用できません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only lower-case letters, digits and &apos;-&apos; are allowed, not &quot;%1&quot;.</source>
        <translation>使用できるのは英小文字、数字、「-」だけです。「%1」は使用できません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The name must start and end with a letter or a digit.</source>
        <translation>名前の先頭と末尾は英字または数字にする必要があります。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A cluster called &quot;%1&quot; already exists.</source>
        <translation>「%1」という名前のクラスターはすでに存在します。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Checking whether this machine can run it…</source>
        <translation>このマシンで実行できるか確認しています…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>This machine has %1 MiB of memory; a cluster needs at least %2 MiB.</source>
        <translation>このマシンのメモリは %1 MiB です。クラスターには少なくとも %2 MiB が必要です。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only %1 GiB are free where clusters are kept; a cluster needs at least %2 GiB.</source>
        <translation>クラスターの保存先の空き容量は %1 GiB しかありません。クラスターには少なくとも %2 GiB が必要です。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A local-process cluster has one node: this machine.</source>
        <translation>ローカルプロセスのクラスターのノードは 1 つ (このマシン) だけです。</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>Checking what this machine has…</source>
        <translation>このマシンのリソースを確認しています…</translation>
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
        <translation>%1 に適用しました</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dry run on %1</source>
        <translation>%1 でのドライラン</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Diff against %1</source>
        <translation>%1 との差分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No differences: the cluster matches the manifest.</source>
        <translation>差分はありません: クラスターはマニフェストと一致しています。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Could not reach the cluster</source>
        <translation>クラスターに接続できませんでした</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Manifest: %1</source>
        <translation>マニフェスト: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Open Manifest</source>
        <translation>マニフェストを開く</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>YAML マニフェスト (*.yaml *.yml);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>No recent manifests</source>
        <translation>最近使ったマニフェストはありません</translation>
    </message>
</context>
<context>
    <name>slipway::gui::EventModel</name>
    <message>
        <location filename="../gui/models/event_model.cpp" line="+45"/>
        <source>&lt;unknown&gt;</source>
        <translation>&lt;不明&gt;</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1s</source>
        <translation>%1秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1m</source>
        <translation>%1分</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1h</source>
        <translation>%1時間</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1d</source>
        <translation>%1日</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Normal</source>
        <translation>通常</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Last seen</source>
        <translation>最終確認</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Object</source>
        <translation>オブジェクト</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Count</source>
        <translation>回数</translation>
    </message>
    <message>
        <location line="+117"/>
        <source> No node has enough free CPU for the pod&apos;s requests.</source>
        <translation> Pod の要求 (requests) を満たす空き CPU を持つノードがありません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> No node has enough free memory for the pod&apos;s requests.</source>
        <translation> Pod の要求 (requests) を満たす空きメモリを持つノードがありません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> The nodes carry taints the pod does not tolerate.</source>
        <translation> ノードに、Pod が許容 (toleration) しない Taint が付いています。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> No node matches the pod&apos;s node selector or affinity rules.</source>
        <translation> Pod のノードセレクターやアフィニティルールに一致するノードがありません。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The scheduler found no node to run this pod on, so it stays Pending.</source>
        <translation>スケジューラーがこの Pod を実行できるノードを見つけられなかったため、Pod は Pending のままです。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> Lower its resource requests, add or free nodes, or relax its constraints; the scheduler keeps trying.</source>
        <translation> リソース要求を減らす、ノードを追加または空ける、制約を緩めるのいずれかを行ってください。スケジューラーは再試行を続けます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Pulling the image failed several times; the node now waits longer and longer before trying again (ImagePullBackOff). Check the image name, tag and registry credentials.</source>
        <translation>イメージの取得が何度も失敗したため、ノードは再試行までの待ち時間を徐々に延ばしています (ImagePullBackOff)。イメージ名、タグ、レジストリの認証情報を確認してください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container keeps exiting and the node waits longer and longer before restarting it (CrashLoopBackOff). Look at the container&apos;s logs, including those of its previous run, to see why it exits.</source>
        <translation>コンテナーが終了を繰り返しており、ノードは再起動までの待ち時間を徐々に延ばしています (CrashLoopBackOff)。終了する理由は、前回の実行分も含めてコンテナーのログで確認してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>A probe failed. A failing readiness probe takes the pod out of its Services&apos; endpoints; a failing liveness probe gets the container restarted. Check the probe&apos;s path, port and timings against what the application does.</source>
        <translation>プローブが失敗しました。Readiness プローブが失敗すると Pod は Service のエンドポイントから外され、Liveness プローブが失敗するとコンテナーが再起動されます。プローブのパス、ポート、タイミングがアプリケーションの動作に合っているか確認してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The Deployment controller changed how many pods a ReplicaSet should have. During a rollout it scales the new ReplicaSet up and the old one down, step by step, within maxSurge and maxUnavailable.</source>
        <translation>Deployment コントローラーが ReplicaSet の Pod 数を変更しました。ロールアウト中は、maxSurge と maxUnavailable の範囲内で、新しい ReplicaSet を段階的にスケールアップし、古い ReplicaSet をスケールダウンします。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is stopping this container: the pod is being deleted (scale down, rollout, eviction) or a liveness probe failed. It gets its grace period to shut down cleanly.</source>
        <translation>ノードがこのコンテナーを停止しています。Pod が削除されている (スケールダウン、ロールアウト、退避) か、Liveness プローブが失敗しました。正常に終了できるよう猶予期間が与えられます。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The node is downloading the container image.</source>
        <translation>ノードがコンテナーイメージをダウンロードしています。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container image is on the node and the container can be created.</source>
        <translation>コンテナーイメージがノード上にあり、コンテナーを作成できます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node could not download the container image: the name or tag may be wrong, the registry unreachable, or credentials (imagePullSecrets) missing. The node retries with growing delays.</source>
        <translation>ノードがコンテナーイメージをダウンロードできませんでした。名前やタグの誤り、レジストリに到達できない、認証情報 (imagePullSecrets) がない、などが考えられます。ノードは間隔を延ばしながら再試行します。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Starting the container failed; the message says why.</source>
        <translation>コンテナーの起動に失敗しました。理由はメッセージを参照してください。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller created a pod (or Job) it owns, to reach the number it wants.</source>
        <translation>コントローラーが目標数に達するため、自身が所有する Pod (または Job) を作成しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller deleted a pod it owns, because it has more than it wants.</source>
        <translation>コントローラーが目標数より多いため、自身が所有する Pod を削除しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A controller could not create a pod: a quota, a policy or an invalid template refused it. The message names the cause.</source>
        <translation>コントローラーが Pod を作成できませんでした。クォータ、ポリシー、または無効なテンプレートによって拒否されました。原因はメッセージに示されています。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The Deployment made no progress for progressDeadlineSeconds: its new pods do not become available. The rollout is stuck (not rolled back); fix the template or undo to an earlier revision.</source>
        <translation>Deployment が progressDeadlineSeconds の間に進行しませんでした。新しい Pod が利用可能になりません。ロールアウトは停滞しています (ロールバックはされません)。テンプレートを修正するか、以前のリビジョンに戻してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The scheduler chose a node for the pod; the node now starts it.</source>
        <translation>スケジューラーが Pod のノードを決定しました。ノードが Pod を起動します。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node created the container.</source>
        <translation>ノードがコンテナーを作成しました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The container&apos;s process is running.</source>
        <translation>コンテナーのプロセスが実行中です。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A volume of the pod could not be mounted, so its containers cannot start. A missing ConfigMap, Secret or PersistentVolumeClaim is the usual cause.</source>
        <translation>Pod のボリュームをマウントできなかったため、コンテナーを起動できません。よくある原因は ConfigMap、Secret、PersistentVolumeClaim の不足です。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The container used more memory than its limit and was killed. Raise the memory limit or reduce what the application uses.</source>
        <translation>コンテナーがメモリ制限を超えて使用したため強制終了されました。メモリ制限を引き上げるか、アプリケーションの使用量を減らしてください。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node removed the pod to reclaim a scarce resource (memory, disk).</source>
        <translation>ノードが不足しているリソース (メモリ、ディスク) を回収するため、Pod を退避させました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The node stopped reporting that it is healthy; its pods may be evicted if it does not come back.</source>
        <translation>ノードが正常であることを報告しなくなりました。復帰しない場合、そのノードの Pod は退避される可能性があります。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The node joined the cluster or became ready to run pods.</source>
        <translation>ノードがクラスターに参加したか、Pod を実行できる状態になりました。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Job&apos;s pods finished successfully.</source>
        <translation>Job の Pod が正常に完了しました。</translation>
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
        <translation>種類</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All types</source>
        <translation>すべての種類</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Normal</source>
        <translation>通常</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Filter by reason, message or object…</source>
        <translation>理由、メッセージ、オブジェクトで絞り込み…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Filter text</source>
        <translation>フィルター文字列</translation>
    </message>
    <message>
        <location line="-13"/>
        <location line="+27"/>
        <source>Events</source>
        <translation>イベント</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>The cluster&apos;s events, newest first, with an explanation of the selected one.</source>
        <translation>クラスターのイベント (新しい順) と、選択したイベントの説明。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Explanation</source>
        <translation>説明</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fil&amp;ter:</source>
        <translation>フィルター(&amp;T):</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>All namespaces</source>
        <translation>すべての Namespace</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All kinds</source>
        <translation>すべての Kind</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Select an event to see what it means.</source>
        <translation>イベントを選択すると、その意味が表示されます。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;b&gt;%1&lt;/b&gt; on %2: %3</source>
        <translation>%2 の &lt;b&gt;%1&lt;/b&gt;: %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;i&gt;No explanation for this reason yet.&lt;/i&gt;</source>
        <translation>&lt;i&gt;この理由の説明はまだありません。&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogModel</name>
    <message>
        <location filename="../gui/models/log_model.cpp" line="+253"/>
        <source>log of %1 ended</source>
        <translation>%1 のログが終了しました</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>log of %1 unavailable: %2</source>
        <translation>%1 のログを取得できません: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::LogPage</name>
    <message>
        <location filename="../gui/views/log_page.cpp" line="+23"/>
        <source>F&amp;ollow</source>
        <translation>追跡(&amp;O)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cl&amp;ear</source>
        <translation>クリア(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scroll to &amp;new lines</source>
        <translation>新しい行へスクロール(&amp;N)</translation>
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
        <translation>ログを追跡する対象</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pod or Deployment</source>
        <translation>Pod または Deployment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logs</source>
        <translation>ログ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follows the log of a pod or of all pods of a Deployment.</source>
        <translation>1 つの Pod、または Deployment のすべての Pod のログを追跡します。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Log of:</source>
        <translation>ログの対象(&amp;L):</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Log lines</source>
        <translation>ログの行</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Following %1</source>
        <translation>%1 を追跡中</translation>
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
        <translation>クラスター</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Slipway&apos;s clusters on this computer</source>
        <translation>このコンピューター上の Slipway クラスター</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Connect to Kubeconfig Context…</source>
        <translation>kubeconfig のコンテキストに接続(&amp;C)…</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+228"/>
        <location line="+6"/>
        <source>Connect to Kubeconfig Context</source>
        <translation>kubeconfig のコンテキストに接続</translation>
    </message>
    <message>
        <location line="-233"/>
        <source>Could not read %1: %2</source>
        <translation>%1 を読み込めませんでした: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;New Manifest</source>
        <translation>新しいマニフェスト(&amp;N)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Open Manifest…</source>
        <translation>マニフェストを開く(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;Recent Manifest</source>
        <translation>最近使ったマニフェストを開く(&amp;R)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Cluster</source>
        <translation>クラスター(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Create Cluster…</source>
        <translation>クラスターを作成(&amp;C)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open &amp;Topology</source>
        <translation>トポロジーを開く(&amp;T)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open &amp;Rollouts</source>
        <translation>ロールアウトを開く(&amp;R)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Events</source>
        <translation>イベントを開く(&amp;E)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open &amp;Logs</source>
        <translation>ログを開く(&amp;L)</translation>
    </message>
    <message>
        <location line="+8"/>
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
        <location line="+15"/>
        <source>Could not list clusters: %1</source>
        <translation>クラスターを一覧表示できませんでした: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>About Slipway Studio</source>
        <translation>Slipway Studio について</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;Local Kubernetes-style clusters with a click.&lt;/p&gt;&lt;p&gt;Clusters are kept in %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Slipway Studio %1&lt;/h3&gt;&lt;p&gt;ワンクリックで使える、ローカルの Kubernetes 互換クラスター。&lt;/p&gt;&lt;p&gt;クラスターの保存先: %2&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+57"/>
        <location line="+20"/>
        <source>Connecting…</source>
        <translation>接続しています…</translation>
    </message>
    <message>
        <location line="-74"/>
        <location line="+59"/>
        <location line="+18"/>
        <source>Live</source>
        <translation>ライブ</translation>
    </message>
    <message>
        <location line="-72"/>
        <location line="+56"/>
        <location line="+18"/>
        <location line="+20"/>
        <source>Error: %1</source>
        <translation>エラー: %1</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>Topology: %1</source>
        <translation>トポロジー: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Select a running cluster first.</source>
        <translation>先に実行中のクラスターを選択してください。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 is not running.</source>
        <translation>%1 は実行されていません。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Rollouts: %1</source>
        <translation>ロールアウト: %1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Events: %1</source>
        <translation>イベント: %1</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Logs: %1</source>
        <translation>ログ: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 has no contexts.</source>
        <translation>%1 にはコンテキストがありません。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Context in %1:</source>
        <translation>%1 のコンテキスト:</translation>
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
<context>
    <name>slipway::gui::ManifestEditorPage</name>
    <message>
        <location filename="../gui/views/manifest_editor_page.cpp" line="+249"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+110"/>
        <source>Document</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <location line="-112"/>
        <location line="+120"/>
        <location line="+273"/>
        <source>Problems</source>
        <translation>問題</translation>
    </message>
    <message>
        <location line="-399"/>
        <source>Manifest editor</source>
        <translation>マニフェストエディター</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>YAML editor with a form of the current document, its problems, and a preview of what applying creates.</source>
        <translation>現在のドキュメントのフォーム、その問題点、適用によって作成されるもののプレビューを備えた YAML エディター。</translation>
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
        <translation>出力</translation>
    </message>
    <message>
        <location line="-120"/>
        <source>Form</source>
        <translation>フォーム</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preview</source>
        <translation>プレビュー</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cluster</source>
        <translation>クラスター</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>The document of the file the form shows</source>
        <translation>フォームに表示するファイル内のドキュメント</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+8"/>
        <source>New</source>
        <translation>新規</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new manifest from a template</source>
        <translation>テンプレートから新しいマニフェストを作成</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Open…</source>
        <translation>開く…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open Manifest</source>
        <translation>マニフェストを開く</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+304"/>
        <source>YAML manifests (*.yaml *.yml);;All files (*)</source>
        <translation>YAML マニフェスト (*.yaml *.yml);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location line="-299"/>
        <source>Open a manifest in this editor</source>
        <translation>このエディターでマニフェストを開く</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save As…</source>
        <translation>名前を付けて保存…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Validate</source>
        <translation>検証</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check the manifest with the cluster&apos;s validation rules (F7)</source>
        <translation>クラスターの検証ルールでマニフェストをチェック (F7)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dry Run</source>
        <translation>ドライラン</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send the manifest to the cluster with dryRun=All: checked, nothing stored (Ctrl+Shift+Enter)</source>
        <translation>dryRun=All でマニフェストをクラスターに送信します。チェックのみで、何も保存されません (Ctrl+Shift+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Diff</source>
        <translation>差分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Compare the live objects with the manifest (Ctrl+Shift+D)</source>
        <translation>稼働中のオブジェクトとマニフェストを比較 (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+239"/>
        <source>Apply</source>
        <translation>適用</translation>
    </message>
    <message>
        <location line="-236"/>
        <source>Create or update the objects in the cluster (Ctrl+Enter)</source>
        <translation>クラスター内のオブジェクトを作成または更新 (Ctrl+Enter)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cluster:</source>
        <translation>クラスター:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no running cluster</source>
        <translation>実行中のクラスターなし</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The cluster dry runs, diffs and applies go to</source>
        <translation>ドライラン、差分、適用の対象クラスター</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>&lt;b&gt;Form&lt;/b&gt;</source>
        <translation>&lt;b&gt;フォーム&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&lt;b&gt;Preview&lt;/b&gt; — what applying creates</source>
        <translation>&lt;b&gt;プレビュー&lt;/b&gt; — 適用すると作成されるもの</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Checking…</source>
        <translation>チェックしています…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Manifest</source>
        <translation>マニフェスト</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Could not use %1: %2</source>
        <translation>%1 を使用できませんでした: %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Untitled</source>
        <translation>無題</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>document %1</source>
        <translation>ドキュメント %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No problems found</source>
        <translation>問題は見つかりませんでした</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>1 problem</source>
        <translation>問題 1 件</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n problems</source>
        <translation>
            <numerusform>問題 %n 件</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Problems (%1)</source>
        <translation>問題 (%1)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: (empty or invalid)</source>
        <translation>%1: (空または無効)</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>The manifest has %n problem(s). Apply it anyway?</source>
        <translation>
            <numerusform>マニフェストに問題が %n 件あります。このまま適用しますか?</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unsaved Changes</source>
        <translation>未保存の変更</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 has changes that are not saved. Save them?</source>
        <translation>%1 には保存されていない変更があります。保存しますか?</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Save Manifest</source>
        <translation>マニフェストを保存</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 failed</source>
        <translation>%1 に失敗しました</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Talking to the cluster…</source>
        <translation>クラスターと通信しています…</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestFormModel</name>
    <message>
        <location filename="../gui/models/manifest_form_model.cpp" line="+53"/>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replicas</source>
        <translation>レプリカ数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Strategy</source>
        <translation>戦略</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Selector app</source>
        <translation>セレクター app</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Pod label app</source>
        <translation>Pod のラベル app</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+33"/>
        <source>Container</source>
        <translation>コンテナー</translation>
    </message>
    <message>
        <location line="-32"/>
        <location line="+33"/>
        <source>Image</source>
        <translation>イメージ</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>Container port</source>
        <translation>コンテナーポート</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+9"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target port</source>
        <translation>ターゲットポート</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node port</source>
        <translation>ノードポート</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Completions</source>
        <translation>完了数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parallelism</source>
        <translation>並列数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backoff limit</source>
        <translation>バックオフ上限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart policy</source>
        <translation>再起動ポリシー</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ingress class</source>
        <translation>Ingress クラス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Host</source>
        <translation>ホスト</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path</source>
        <translation>パス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Path type</source>
        <translation>パスの種類</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service port</source>
        <translation>Service のポート</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Access mode</source>
        <translation>アクセスモード</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Storage class</source>
        <translation>ストレージクラス</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Field</source>
        <translation>フィールド</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>値</translation>
    </message>
</context>
<context>
    <name>slipway::gui::ManifestValidator</name>
    <message>
        <location filename="../gui/models/manifest_validator.cpp" line="+72"/>
        <source>a manifest document must be a mapping with apiVersion, kind and metadata</source>
        <translation>マニフェストのドキュメントは apiVersion、kind、metadata を持つマッピングである必要があります</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>no built-in kind &quot;%1&quot; in &quot;%2&quot;: only the cluster can check it (a custom resource?)</source>
        <translation>「%2」に組み込みの kind「%1」はありません。クラスターでのみチェックできます (カスタムリソースでしょうか?)</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>cannot check this document: %1</source>
        <translation>このドキュメントはチェックできません: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::OperationPanel</name>
    <message>
        <location filename="../gui/views/operation_panel.cpp" line="+39"/>
        <source>Starting…</source>
        <translation>起動しています…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Boot Log…</source>
        <translation>起動ログ…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Follow the guest&apos;s console (VMs) or slipwayd&apos;s log (local process)</source>
        <translation>ゲストのコンソール (VM) または slipwayd のログ (ローカルプロセス) を追跡</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Dismiss</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Cancelling…</source>
        <translation>キャンセルしています…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutModel</name>
    <message>
        <location filename="../gui/models/rollout_model.cpp" line="+156"/>
        <source>%1 (current)</source>
        <translation>%1 (現在)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready → %3</source>
        <extracomment>pods ready of pods it has, then the count it is being scaled to</extracomment>
        <translation>%2 個中 %1 個が準備完了 → %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 of %2 ready</source>
        <extracomment>pods ready of pods it has</extracomment>
        <translation>%2 個中 %1 個が準備完了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&lt;none&gt;</source>
        <translation>&lt;なし&gt;</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Revision %1: ReplicaSet %2, %3 pods, %4 ready, %5 available</source>
        <translation>リビジョン %1: ReplicaSet %2、Pod %3 個、準備完了 %4 個、利用可能 %5 個</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Revision</source>
        <translation>リビジョン</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Images</source>
        <translation>イメージ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pods</source>
        <translation>Pod</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change cause</source>
        <translation>変更理由</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ReplicaSet</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>Choose a Deployment.</source>
        <translation>Deployment を選択してください。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deployment %1 not found.</source>
        <translation>Deployment %1 が見つかりません。</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>Stuck: deployment &quot;%1&quot; exceeded its progress deadline</source>
        <translation>停滞: Deployment「%1」が進行期限を超えました</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>New pods are not becoming ready: %1</source>
        <translation>新しい Pod が準備完了になりません: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stuck: the new pods of deployment &quot;%1&quot; are failing</source>
        <translation>停滞: Deployment「%1」の新しい Pod が失敗しています</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Paused: changes to the template are recorded but not rolled out</source>
        <translation>一時停止中: テンプレートの変更は記録されますが、ロールアウトされません</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment spec update to be observed…</source>
        <translation>Deployment の spec の更新が反映されるのを待っています…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 out of %3 new replicas have been updated…</source>
        <translation>Deployment「%1」のロールアウト完了を待っています: 新しいレプリカ %3 個中 %2 個を更新しました…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 old replicas are pending termination…</source>
        <translation>Deployment「%1」のロールアウト完了を待っています: 古いレプリカ %2 個が終了待ちです…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 of %3 updated replicas are available…</source>
        <translation>Deployment「%1」のロールアウト完了を待っています: 更新済みレプリカ %3 個中 %2 個が利用可能です…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment &quot;%1&quot; successfully rolled out</source>
        <translation>Deployment「%1」のロールアウトが完了しました</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Recreate: the old pod is stopped before the new pod starts, so the application is unavailable in between.</source>
        <translation>Recreate: 新しい Pod を起動する前に古い Pod を停止するため、その間アプリケーションは利用できません。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>Recreate: all %n old pods are stopped before any new pod starts, so the application is unavailable in between.</source>
        <translation>
            <numerusform>Recreate: 新しい Pod を起動する前に古い Pod %n 個をすべて停止するため、その間アプリケーションは利用できません。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 %2 of %3, rounded up</source>
        <translation>%1 %2 (%3 に対して、切り上げ)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 of %3, rounded down</source>
        <translation>%1 %2 (%3 に対して、切り捨て)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>RollingUpdate: at most 1 extra pod (%1)</source>
        <translation>RollingUpdate: 追加の Pod は最大 1 個 (%1)</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>RollingUpdate: at most %n extra pods (%1)</source>
        <translation>
            <numerusform>RollingUpdate: 追加の Pod は最大 %n 個 (%1)</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source> and at most %1 unavailable (%2).</source>
        <translation>、利用不可は最大 %1 個 (%2)。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>both resolve to 0, so 1 is allowed</source>
        <translation>どちらも 0 になるため、1 個を許可</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>During a rollout there are at most %1 pods and at least %2 available.</source>
        <translation>ロールアウト中の Pod は最大 %1 個、そのうち少なくとも %2 個が利用可能です。</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+72"/>
        <source>No Deployment chosen.</source>
        <translation>Deployment が選択されていません。</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>%1…</source>
        <translation>%1…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Deployment %1 has no container %2.</source>
        <translation>Deployment %1 にコンテナー %2 はありません。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The image must not be empty.</source>
        <translation>イメージを空にすることはできません。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Set image %1=%2</source>
        <translation>イメージを設定 %1=%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replicas must not be negative.</source>
        <translation>レプリカ数に負の値は指定できません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Scale to 1 replica</source>
        <translation>1 レプリカにスケール</translation>
    </message>
    <message numerus="yes">
        <location line="+0"/>
        <source>Scale to %n replicas</source>
        <translation>
            <numerusform>%n レプリカにスケール</numerusform>
        </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is already paused.</source>
        <translation>Deployment %1 はすでに一時停止しています。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pause rollout</source>
        <translation>ロールアウトを一時停止</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is not paused.</source>
        <translation>Deployment %1 は一時停止していません。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume rollout</source>
        <translation>ロールアウトを再開</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Deployment %1 is paused; resume it before restarting.</source>
        <translation>Deployment %1 は一時停止中です。再起動する前に再開してください。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Restart rollout</source>
        <translation>ロールアウトを再起動</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>You cannot rollback a paused deployment; resume it first.</source>
        <translation>一時停止中の Deployment はロールバックできません。先に再開してください。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Unable to find specified revision %1 in history.</source>
        <translation>指定されたリビジョン %1 が履歴にありません。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Skipped rollback (current template already matches revision %1).</source>
        <translation>ロールバックをスキップしました (現在のテンプレートはすでにリビジョン %1 と一致しています)。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Undo to revision %1</source>
        <translation>リビジョン %1 に戻す</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1: done</source>
        <translation>%1: 完了</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 failed: %2</source>
        <translation>%1 に失敗しました: %2</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPage</name>
    <message>
        <location filename="../gui/views/rollout_page.cpp" line="+34"/>
        <source>Set &amp;image…</source>
        <translation>イメージを設定(&amp;I)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Pause</source>
        <translation>一時停止(&amp;P)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Scale…</source>
        <translation>スケール(&amp;S)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Resu&amp;me</source>
        <translation>再開(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>R&amp;estart</source>
        <translation>再起動(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+182"/>
        <source>&amp;Undo to revision…</source>
        <translation>リビジョンに戻す(&amp;U)…</translation>
    </message>
    <message>
        <location line="-180"/>
        <source>&amp;Deployment:</source>
        <translation>Deployment(&amp;D):</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Rollouts</source>
        <translation>ロールアウト</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Revision history, pods and replica timeline of a Deployment, with its rollout commands.</source>
        <translation>Deployment のリビジョン履歴、Pod、レプリカの推移と、ロールアウトの操作。</translation>
    </message>
    <message>
        <location line="+27"/>
        <location line="+9"/>
        <source>Revision history</source>
        <translation>リビジョン履歴</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Pods of each revision</source>
        <translation>リビジョンごとの Pod</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>&amp;Undo to revision %1</source>
        <translation>リビジョン %1 に戻す(&amp;U)</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+7"/>
        <source>Set Image</source>
        <translation>イメージを設定</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>Container:</source>
        <translation>コンテナー:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New image for container %1:</source>
        <translation>コンテナー %1 の新しいイメージ:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Scale</source>
        <translation>スケール</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Replicas:</source>
        <translation>レプリカ数:</translation>
    </message>
</context>
<context>
    <name>slipway::gui::RolloutPodsView</name>
    <message>
        <location filename="../gui/views/rollout_pods_view.cpp" line="+38"/>
        <source>Pods of each revision</source>
        <translation>リビジョンごとの Pod</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Revision %1: %2 pods, %3 ready</source>
        <translation>リビジョン %1: Pod %2 個、準備完了 %3 個</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>No pods.</source>
        <translation>Pod はありません。</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Revision %1 (new)</source>
        <translation>リビジョン %1 (新)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revision %1</source>
        <translation>リビジョン %1</translation>
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
        <translation>ロールアウト中のレプリカ数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>desired</source>
        <translation>希望数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>updated</source>
        <translation>更新済み</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>available</source>
        <translation>利用可能</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>old ReplicaSets</source>
        <translation>古い ReplicaSet</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>new ReplicaSet</source>
        <translation>新しい ReplicaSet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>replicas</source>
        <translation>レプリカ数</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Rollout timeline</source>
        <translation>ロールアウトの推移</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyModel</name>
    <message>
        <location filename="../gui/models/topology_model.cpp" line="+240"/>
        <source>Unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pending</source>
        <translation>保留中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Creating containers</source>
        <translation>コンテナーを作成中</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+180"/>
        <source>Progressing</source>
        <translation>進行中</translation>
    </message>
    <message>
        <location line="-178"/>
        <location line="+251"/>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <location line="-249"/>
        <location line="+173"/>
        <source>Ready</source>
        <translation>準備完了</translation>
    </message>
    <message>
        <location line="-171"/>
        <source>Not ready</source>
        <translation>準備未完了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Crash loop</source>
        <translation>クラッシュループ</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terminating</source>
        <translation>終了中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+231"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Scaled to zero</source>
        <translation>ゼロにスケール済み</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Progress deadline exceeded</source>
        <translation>進行期限超過</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Complete</source>
        <translation>完了</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Suspended</source>
        <translation>中断中</translation>
    </message>
</context>
<context>
    <name>slipway::gui::TopologyPage</name>
    <message>
        <location filename="../gui/views/topology_page.cpp" line="+59"/>
        <location line="+1"/>
        <source>Type</source>
        <translation>種類</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+1"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>Message</source>
        <translation>メッセージ</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Last transition</source>
        <translation>最終遷移</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Age</source>
        <translation>経過時間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>送信元</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology</source>
        <translation>トポロジー</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Live graph of the cluster&apos;s workloads, services, pods and nodes, with the selected object&apos;s details beside it.</source>
        <translation>クラスターのワークロード、Service、Pod、ノードのライブグラフと、その横に選択したオブジェクトの詳細。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology graph</source>
        <translation>トポロジーグラフ</translation>
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
        <translation>すべての Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workloads</source>
        <translation>ワークロード</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Label selector, e.g. app=web</source>
        <translation>ラベルセレクター (例: app=web)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Label selector</source>
        <translation>ラベルセレクター</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search (Enter: next match)</source>
        <translation>検索 (Enter: 次の一致)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search</source>
        <translation>検索</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Zoom out (-)</source>
        <translation>縮小 (-)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom in (+)</source>
        <translation>拡大 (+)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>全体表示</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fit everything (0)</source>
        <translation>すべてを表示 (0)</translation>
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
        <translation>Condition</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>Lo&amp;gs…</source>
        <translation>ログ(&amp;G)…</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+55"/>
        <source>Events</source>
        <translation>イベント</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+123"/>
        <source>Select an object to see its details.</source>
        <translation>オブジェクトを選択すると詳細が表示されます。</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>Follow the selected Pod&apos;s log, or those of every pod of the selected Deployment, in a Logs tab</source>
        <translation>選択した Pod のログ、または選択した Deployment のすべての Pod のログを「ログ」タブで追跡します</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>All namespaces</source>
        <translation>すべての Namespace</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Label selector: %1</source>
        <translation>ラベルセレクター: %1</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %2 in %3</source>
        <translation>%3 の %1 %2</translation>
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
        <translation>クラスターのトポロジー</translation>
    </message>
    <message>
        <location line="+375"/>
        <source>Unscheduled</source>
        <translation>未スケジュール</translation>
    </message>
</context>
</TS>
