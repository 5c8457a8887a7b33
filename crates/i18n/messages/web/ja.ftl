### keepsim のウェブページと API エラータイトル — 日本語（ja）。
### 英語（en.ftl）と同じメッセージを同じ変数で定義します。日本語には複数形がないため、数は変数をそのまま使います。

## Navigation and layout
nav-skip = 本文へスキップ
nav-main = メインメニュー
nav-language = 言語
nav-language-apply = 変更
nav-signin = ログイン
nav-signout = ログアウト
nav-home = マイ回線
nav-devices = 端末
nav-coverage = 対応エリア
nav-inbox = お知らせ
nav-support = サポート
nav-help = ヘルプ
footer-text = keepsim — 電話番号をそのまま保てる旅行用プリペイド eSIM

## Home
home-title = 海外でもつながる、電話番号もそのまま
home-lead = スマートフォンを登録して 1 分で eSIM をインストールし、旅行先に合わせてデータ・通話・SMS を購入できます。年に 1 回の少額チャージで、電話番号もそのまま維持できます。
home-cta-signup = アカウントを作成
home-regions = 地域
home-how = ご利用の流れ
home-step-1 = アカウントを作成し、IMEI でスマートフォンを登録します。
home-step-2 = eSIM を受け取ります。QR コードを読み取るか、アクティベーションコードをコピーしてください。
home-step-3 = 渡航先の国に対応したプランを購入し、カード、Alipay、WeChat Pay でお支払いいただけます。
home-step-4 = 使用量はいつでも確認できます。データ容量がなくなる前や、電話番号の期限が切れる前にお知らせします。

## Sign up and sign in
signup-title = アカウントを作成
signup-submit = アカウントを作成
signup-have-account = すでにアカウントをお持ちですか？
signin-title = ログイン
signin-submit = ログイン
signin-no-account = keepsim を初めてご利用ですか？
signin-forgot = パスワードをお忘れですか？
forgot-title = パスワードの再設定
forgot-hint = アカウントのメールアドレスを入力してください。アカウントが見つかった場合、新しいパスワードを設定するリンクをお送りします。リンクは 1 回だけ、1 時間有効です。
forgot-submit = リンクを送信
forgot-sent = このアドレスのアカウントがあれば、リンクをお送りしました。受信トレイと迷惑メールフォルダをご確認ください。
field-new-password = 新しいパスワード
reset-title = 新しいパスワードを設定
reset-submit = 新しいパスワードを保存
reset-done = パスワードを変更し、すべての端末からログアウトしました。新しいパスワードでログインしてください。
reset-invalid = このリンクは無効です。使用済み、期限切れ、またはコピーが不完全な可能性があります。
reset-again = 新しいリンクを依頼
verify-title = メールアドレスの確認
verify-hint = 電話番号に関するお知らせが届くよう、このアドレスがご自身のものであることを確認してください。
verify-submit = アドレスを確認
verify-done = ありがとうございます。メールアドレスを確認しました。
app-verify-needed = メールアドレスがまだ確認されていません。プランや電話番号の期限が切れる前に、このアドレスにお知らせします。
app-verify-send = 確認リンクを送信
app-verify-sent = 確認リンクをお送りしました。受信トレイをご確認ください。
field-email = メールアドレス
field-password = パスワード
field-password-hint = 10 文字以上で、メールアドレスとは異なるものにしてください。
field-imei = IMEI
field-imei-hint = スマートフォン固有の 15 桁の番号です。*#06# に発信すると表示されます。または「設定 → 一般 → 情報」（iPhone）、「設定 → デバイス情報」（Android）でも確認できます。
field-device-label = 名前（任意）
field-device-label-hint = 例：「私の iPhone」
field-eid = EID（任意）
field-eid-hint = 32 桁の数字です。メーカーから求められた場合のみ入力してください。iPhone：設定 → 一般 → 情報 → EID。Android：設定 → デバイス情報 → SIM のステータス。
field-currency = 通貨
field-subject = 件名
field-message = メッセージ

## Live IMEI check in the browser ({"{n}"} is replaced by a number there)
imei-live-digits = 数字のみを入力してください。
imei-live-short = あと { "{n}" } 桁です。
imei-live-long = IMEI はちょうど 15 桁です。
imei-live-check = 番号に誤りがあります。最後の桁（チェックディジット）が一致しません。
imei-live-ok = 問題ありません。

## Customer home
app-title = マイ回線
# $email (String)
app-signed-in-as = { $email } でログイン中
# $count (Int)
app-unread = 未読のメッセージが { $count } 件あります。
app-no-lines = eSIM はまだありません。スマートフォンを登録すると eSIM を受け取れます。
app-bind-first = 端末を登録
# $amount (String)
app-data-left = データ残量 { $amount }
app-no-bundle = 有効なプランはありません。
app-usage = 使用量
app-topup = プランを購入
app-esim = eSIM
# $count (Int)
app-devices-without-line = eSIM がまだない端末が { $count } 台あります。

## States
line-state-assigned = インストール待ち
line-state-active = 利用中
line-state-grace = 猶予期間中
line-state-suspended = 利用停止中
line-state-recycled = 解約済み
bundle-state-active = 利用中
bundle-state-exhausted = 使い切り
bundle-state-expired = 期限切れ
bundle-state-revoked = 返金済み
ledger-topup_credit = チャージ
ledger-usage_debit = 利用
ledger-reserve = 確保
ledger-release = 確保解除
ledger-expiry_forfeit = 期限切れで失効
ledger-refund_revoke = 返金
method-card = カード
method-alipay = Alipay
method-wechat = WeChat Pay
ticket-status-open = 対応中
ticket-status-answered = 回答済み
ticket-status-closed = 完了
ticket-author-customer = お客様
ticket-author-staff = keepsim サポート

## Devices
devices-title = 端末
devices-unnamed = 名前のない端末
# $number (String)
devices-line = 電話番号 { $number }
devices-get-esim = eSIM を受け取る
devices-remove = 削除
devices-removed-hint = eSIM のないスマートフォンは削除できます。
devices-none = 登録済みの端末はまだありません。
devices-bind-title = 端末を登録
devices-bind-submit = 登録する
devices-one-per-line-title = eSIM が 1 台に 1 つなのはなぜですか？
devices-one-per-line = eSIM は 1 台のスマートフォン専用に発行され、その端末の IMEI にひも付けられます。新しいスマートフォンに電話番号を移すには、新しい端末を登録してから、回線の移行をサポートにご依頼ください。

## eSIM
esim-title = お客様の eSIM
esim-number = 電話番号
esim-state = 状態
esim-device = 端末
esim-kept-until = 電話番号の保持期限
esim-qr-title = QR コードでインストール
esim-qr-hint = このページを別の画面で開き、登録したスマートフォンでコードを読み取ってください。
esim-qr-alt = eSIM アクティベーションコードの QR コード
esim-code-title = またはアクティベーションコードを入力
esim-copy = コードをコピー
esim-copied = コピーしました
esim-smdp = SM-DP+ アドレス
esim-matching-id = アクティベーションコード（マッチング ID）
esim-ios-title = iPhone の場合
esim-ios-1 = 「設定 → モバイル通信 → eSIMを追加」を開きます。
esim-ios-2 = 「QRコードを使用」を選んでコードを読み取るか、「詳細情報を手動で入力」をタップしてアクティベーションコードを貼り付けます。
esim-ios-3 = 新しい回線の名称を「旅行」にして、海外ではモバイルデータ通信にこの回線を選びます。
esim-ios-4 = この回線の「データローミング」をオンにします。
esim-android-title = Android スマートフォンの場合
esim-android-1 = 「設定 → ネットワークとインターネット → SIM → SIM を追加」（または「代わりに SIM をダウンロードしますか？」）を開きます。
esim-android-2 = QR コードを読み取るか、「ヘルプが必要な場合」→「手動で入力」を選んでアクティベーションコードを貼り付けます。
esim-android-3 = 新しい SIM をオンにして、モバイルデータに使う SIM として選びます。
esim-android-4 = この SIM の「ローミング」をオンにします。
esim-move-title = 機種変更しましたか？
esim-move-hint = この電話番号を、登録済みの別のスマートフォンに移します。プランと有効期限も一緒に移ります。新しいスマートフォンには新しい eSIM が発行され（このページに新しい QR コードが表示されます）、古いスマートフォンの eSIM は使えなくなります。
esim-move-device = 新しいスマートフォン
esim-move-confirm = 古いスマートフォンの eSIM が使えなくなることを理解しました。
esim-move-confirm-needed = 確認のためチェックを入れてください。
esim-move-submit = 電話番号を移す
esim-move-none = まず「端末」ページで新しいスマートフォンを登録してください。その後、ここで電話番号を移せます。

## Coverage and packages
coverage-title = 対応エリア
coverage-search-title = どちらへお出かけですか？
coverage-search-label = 国を検索
coverage-search-placeholder = 例：日本、Japan、JP
coverage-search-button = 検索
coverage-countries-title = 国・地域
# $count (Int)
coverage-countries = { $count }か国・地域
# $count (Int)
coverage-found = { $count } 件の国・地域が見つかりました
# $query (String)
coverage-none = 「{ $query }」に一致する国はありません。
packages-title = プラン
# $place (String)
packages-for = { $place } のプラン
packages-show = 表示
packages-none = この地域に対応するプランはまだありません。
packages-data-unlimited = データ無制限
# $amount (String)
packages-data = データ { $amount }
packages-no-data = データなし
# $count (Int)
packages-minutes = 通話 { $count } 分
# $count (Int)
packages-sms = SMS { $count } 通
# $days (Int)
packages-validity = 有効期間 { $days } 日
# $days (Int)
packages-keeps-number = 電話番号の保持期間が { $days } 日延長
packages-buy = 購入
packages-no-price = この通貨では販売していません。

## Buying
buy-title = プランを購入
buy-line = 対象の電話番号
buy-method = お支払い方法
buy-method-hint = デモモードでは、決済サービスの代わりにサンドボックスの決済画面を使用します。実際の請求は発生しません。
buy-submit = お支払いへ進む
buy-no-line = プランを購入するには、先に eSIM が必要です。
order-title = ご注文内容
order-package = プラン
order-amount = 金額
order-method = お支払い方法
order-scan-alipay = Alipay でスキャンして支払う
order-scan-wechat = WeChat でスキャンして支払う
order-scan-card = Alipay でスキャンして支払う
order-open-alipay = Alipay を開く
order-pay-now = 今すぐ支払う
order-see-bundle = 使用量を見る
order-status-awaiting_payment = お支払い待ち
order-status-awaiting_payment-hint = お支払いを完了してください。このページは自動的に更新されます。
order-status-paid = 処理中
order-status-paid-hint = お支払いを確認しました。プランを回線に追加しています…
order-status-fulfilled = 完了
order-status-fulfilled-hint = プランが回線に追加され、すぐにご利用いただけます。
order-status-failed = お支払いに失敗しました
order-status-failed-hint = 請求は発生しておらず、プランも追加されていません。もう一度お試しいただくか、別のお支払い方法をお選びください。
order-status-expired = 期限切れ
order-status-expired-hint = 期限内にお支払いが確認できませんでした。準備ができたら、改めてご注文ください。
order-status-refunded = 返金済み
order-status-refunded-hint = このご注文は返金されました。
order-status-partially_refunded = 一部返金済み
order-status-partially_refunded-hint = このご注文の一部が返金されました。
checkout-title = サンドボックス決済
# $method (String)
checkout-sandbox = デモモード：実際の請求は発生しません。内蔵の { $method } ゲートウェイは、実際の決済サービスとまったく同じ方法で通知に署名します。
checkout-status = ステータス
# $amount (String)
checkout-pay = { $amount } を支払う
checkout-decline = 拒否する
checkout-back = ご注文に戻る

## Usage
usage-title = 使用量
# $date (String)
usage-kept-until = 電話番号は { $date } まで保持されます。
usage-not-kept = 電話番号はまだ保持されていません。プランを購入すると保持されます。
usage-total = 合計残量
usage-bundles = プラン
usage-data = データ
usage-voice = 通話
usage-sms = SMS
usage-unlimited = データ無制限
usage-no-data = データプランはありません。
# $amount (String)
usage-used = { $amount } 使用済み
# $left (String), $total (String)
usage-left-of = 残り { $left }（{ $total } 中）
# $left (Int), $total (Int)
usage-minutes-left = 残り { $left } 分（{ $total } 分中）
# $left (Int), $total (Int)
usage-sms-left = SMS 残り { $left } 通（{ $total } 通中）
usage-remaining-data = データ残量
usage-remaining-voice = 通話残り時間
usage-remaining-sms = SMS 残数
# $date (String)
usage-expires = 有効期限 { $date }
# $days (Int)
usage-starts-first-use = 海外で初めて利用した時点から { $days } 日間のカウントが始まります。
usage-chart-title = データ使用量（過去 30 日間）
# $amount (String)
usage-chart-total = 合計 { $amount }
usage-history = 履歴
usage-history-when = 日時
usage-history-what = 内容
usage-history-amount = 数量
usage-history-empty = まだ履歴はありません。

## Inbox
inbox-title = お知らせ
inbox-empty = メッセージはありません。
inbox-new = 新着
inbox-mark-read = 既読にする

## Help and support
help-title = ヘルプ
help-more = 解決しない場合は
faq-countries-q = どの国で使えますか？
# $count (Int)
faq-countries-a = 地域ごとにまとめた { $count }か国・地域で使えます。対応エリアのページで国を検索すると、その国に対応するプランを確認できます。
faq-usage-q = 使用量はどのように確認できますか？
faq-usage-a = 使用量のページでは、プランごとにデータ・通話・SMS の残量をバーと有効期限付きで表示します。合計残量、過去 30 日間のグラフ、チャージ・利用・失効のすべての履歴も確認できます。使用量は、ネットワークから報告されるとすぐに反映されます。
faq-device-q = 1 回線につき端末が 1 台なのはなぜですか？
faq-device-a = eSIM は 1 台のスマートフォンにインストールされ、その端末の IMEI にひも付けられます。スマートフォンは 1 台ずつ登録してください。機種変更したときは、新しいスマートフォンを登録してから eSIM ページで「電話番号を移す」を選ぶと、電話番号・プラン・有効期限が新しいスマートフォンの新しい eSIM に移ります。
faq-imei-q = IMEI はどこで確認できますか？
faq-validity-q = プランはいつ始まり、いつ終わりますか？
faq-validity-a = 購入時に開始するプランと、対応する国で初めて利用した時点で開始するプランがあります。有効日数はその時点から数えます。プランの有効期限が切れた時点で残っている分は失効し、履歴に表示されます。
faq-keep-q = 電話番号はどのように保持されますか？
faq-keep-a = 対象となるチャージをするたびに、電話番号の保持期間が延長されます。期限が切れると、回線は猶予期間に入り、次に利用停止となり、最終的に解約されます。各段階の前にお知らせします。猶予期間中または利用停止中にチャージすると、元どおりご利用いただけます。
support-title = サポート
support-none = まだお問い合わせはありません。
support-new = 質問する
support-send = 送信
support-reply = 返信内容
support-back = お問い合わせ一覧

## Error pages
error-page-back = トップに戻る
error-page-not_found = ページが見つかりません
error-page-not_found-hint = このページは存在しないか、お客様のものではありません。
error-page-csrf = フォームの有効期限が切れました
error-page-csrf-hint = 安全のため、フォームは送信されていません。前のページに戻り、ページを再読み込みしてからもう一度お試しください。
error-page-forbidden = 許可されていません
error-page-forbidden-hint = お客様の権限ではこの操作を行えません。
error-page-internal_error = エラーが発生しました
error-page-internal_error-hint = 当社側の問題です。しばらくしてからもう一度お試しください。

## Error titles: API problem titles and messages next to form fields, by error code.
error-currency_not_supported = このお支払い方法はこの通貨に対応していません。
error-device_already_bound = このスマートフォンはすでにアカウントに登録されています。
error-device_has_line = この端末にはすでに eSIM があります。
error-email_taken = このメールアドレスのアカウントはすでに存在します。
error-forbidden = この操作は許可されていません。
error-idempotency_key_in_use = 同じリクエストをまだ処理中です。
error-idempotency_key_required = Idempotency-Key ヘッダーが必要です。
error-idempotency_key_reused = この Idempotency-Key は別のリクエストで使用されています。
error-internal_error = 当社側でエラーが発生しました。
error-invalid_credentials = メールアドレスまたはパスワードが正しくありません。
error-invalid_eid = この EID は無効です。
error-invalid_email = 有効なメールアドレスではありません。
error-invalid_field = この項目を確認してください。
error-invalid_imei = 有効な IMEI ではありません。IMEI は 15 桁で、最後の桁はチェックディジットです。*#06# に発信するとご確認いただけます。
error-invalid_token = このリンクは無効か、有効期限が切れています。
error-inventory_exhausted = 現在ご利用いただける eSIM がありません。しばらくしてからもう一度お試しください。
error-not_found = 見つかりません。
error-payment_method_unavailable = このお支払い方法はご利用いただけません。
error-payment_provider_unavailable = 決済サービスから応答がありませんでした。もう一度お試しください。
error-price_not_available = このプランはこの通貨では販売していません。
error-refund_not_allowed = このご注文は返金できません。
error-too_many_attempts = 試行回数が多すぎます。しばらく待ってからもう一度お試しください。
error-unauthenticated = 先にログインしてください。
error-unavailable = サービスを利用できません。しばらくしてからもう一度お試しください。
error-unknown_country = 不明な国です。
error-unknown_package = 不明なプランです。
error-unknown_region = 不明な地域です。
error-unknown_subscriber = 不明な契約者です。
error-weak_password = 10 文字以上で、メールアドレスとは異なるパスワードにしてください。
error-invalid_body = リクエスト本文が無効です。
error-invalid_json = リクエスト本文が有効な JSON ではありません。
error-invalid_query = クエリ文字列が無効です。
error-method_not_allowed = このメソッドはここでは使用できません。
error-payload_too_large = リクエストが大きすぎます。
error-unsupported_media_type = 本文は application/json で送信してください。
error-sandbox_delivery_failed = サンドボックスが支払い通知を送信できませんでした。
error-sandbox_refused = サンドボックスがこの支払いを拒否しました。
error-choose_line = 電話番号を選択してください。
error-choose_method = お支払い方法を選択してください。
error-choose_device = スマートフォンを選択してください。
error-csrf = フォームの有効期限が切れました。ページを再読み込みして、もう一度お試しください。
error-invalid_totp = コードが正しくないか、すでに使用されています。新しいコードが表示されるまでお待ちください。
error-empty_field = この項目は必須です。

## Admin console
admin-console = 管理コンソール
admin-role-admin = 管理者
admin-role-support = サポート
admin-role-finance = 経理
admin-author-customer = お客様
admin-author-staff = スタッフ
admin-nav-dashboard = ダッシュボード
admin-nav-catalogue = カタログ
admin-nav-inventory = eSIM 在庫
admin-nav-customers = 顧客
admin-nav-orders = 注文
admin-nav-tickets = お問い合わせ
admin-nav-jobs = 失敗したジョブ
admin-nav-audit = 監査ログ
admin-nav-staff = スタッフと API キー
admin-signin-title = スタッフログイン
admin-totp-title = 2 段階認証
admin-totp-enrol = 認証アプリを設定してください
admin-totp-enrol-hint = 認証アプリでコードを読み取る（またはシークレットを入力する）と 6 桁のコードが表示されるので、そのコードを入力してください。
admin-totp-qr-alt = 認証アプリ用シークレットの QR コード
admin-totp-secret = シークレット：
admin-totp-code = 6 桁のコード
admin-totp-verify = 確認する
admin-active-lines = 利用中の回線
admin-chart-topups = 日別のチャージ数
# $currency (String)
admin-chart-revenue = 日別の売上（{ $currency }）
admin-chart-lines-in-use = 日別の利用回線数
admin-chart-data = 日別のデータ使用量
# $total (String)
admin-chart-total = 合計 { $total }
# $max (String)
admin-chart-max = 最高日 { $max }
admin-packages = プラン
admin-code = コード
admin-name = 名前
admin-allowance = 容量
admin-prices = 価格
admin-edit-price = 価格を設定
admin-amount = 金額
admin-save = 保存する
admin-retired = 廃止
admin-regions = 地域
admin-policies = 番号保持ポリシー
admin-policy-min = 対象となるチャージ
admin-policy-days = 日数
admin-policy-days-hint = 日数：延長 / 猶予期間 / 利用停止 / 隔離期間。
admin-default = デフォルト
admin-countries = 国・地域
admin-show = 表示
admin-catalogue-file = カタログ全体を編集
admin-country-names = 国・地域の名称
admin-catalogue-file-hint = カタログファイル全体（TOML、keepsim import-catalog と同じ形式）を貼り付けてください。各地域の国・地域、プラン、価格、番号保持ポリシー、そして一部の言語で国・地域の標準名（CLDR）を置き換える [[country]] の名称を含みます。「プレビュー」で変更内容を確認でき、「適用」で変更が反映されます。
admin-preview = プレビュー
admin-apply = 適用する
admin-applied = 適用済み
admin-available = 利用可能
admin-assigned = 割り当て済み
admin-import = インポート
admin-import-hint = 列：iccid, imsi, msisdn, smdp_address, matching_id（先頭行はヘッダー）。ファイルを選択するか、テキストを貼り付けてください。
# $count (Int)
admin-imported = { $count } 件のプロファイルをインポートしました。
admin-skip-invalid = 正しい行だけをインポートし、誤りのある行はスキップする
admin-without-check-digit = ICCID にチェックディジットが含まれていない
admin-search-email = メールアドレス（部分一致）
admin-created = 作成日時
admin-next = 次のページ
admin-lines = 回線
admin-expires = 有効期限
admin-ledger = 台帳
admin-service = サービス
admin-units = 数量
admin-any = すべて
admin-since = 開始日
admin-until = 終了日
admin-filter = 絞り込む
admin-refunded = 返金済み
admin-customer = 顧客
admin-bundle = プラン
admin-flag = フラグ
admin-refund = 返金する
admin-refund-hint = より少ない金額を入力しない限り、残額の全額が返金されます。
admin-reason = 理由
admin-history = 履歴
admin-refunds = 返金
admin-answer = 回答
admin-close-ticket = お問い合わせを完了にする
admin-failed-jobs = 失敗した注文処理ジョブ
admin-failed-deliveries = 送信を断念した通知
admin-order = 注文
admin-attempts = 試行回数
admin-error = 直近のエラー
admin-retry = 再試行する
admin-channel = チャネル
admin-staff = スタッフ
admin-action = 操作
admin-target = 対象
admin-detail = 詳細
# $email (String)
admin-staff-created = { $email } は、このワンタイムパスワードでログインできるようになりました（表示は 1 回のみです）：
admin-role = ロール
admin-staff-new = スタッフを追加
admin-create = 作成する
admin-api-keys = API キー
admin-key-once = 新しいキー（表示は 1 回のみです）：
admin-prefix = プレフィックス
admin-scopes = スコープ
admin-partner = パートナー
admin-revoked = 失効済み
admin-revoke = 失効させる
admin-create-key = キーを作成
