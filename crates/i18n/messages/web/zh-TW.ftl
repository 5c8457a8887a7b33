### keepsim 網頁與 API 錯誤標題 — 繁體中文（zh-TW）。
### 與英文（en.ftl）定義相同的訊息，變數一致；中文沒有複數形式，數量直接使用變數。

## Navigation and layout
nav-skip = 跳到主要內容
nav-main = 主選單
nav-language = 語言
nav-language-apply = 切換
nav-signin = 登入
nav-signout = 登出
nav-home = 我的門號
nav-devices = 裝置
nav-coverage = 涵蓋範圍
nav-inbox = 訊息
nav-support = 客服
nav-help = 說明
footer-text = keepsim — 旅遊預付 eSIM，門號長期為您保留。

## Home
home-title = 出國隨時上網，門號繼續保留
home-lead = 綁定手機，一分鐘裝好 eSIM，依目的地購買數據、通話分鐘數和簡訊；每年只要小額儲值，就能保留您的門號。
home-cta-signup = 註冊帳號
home-regions = 地區
home-how = 使用方式
home-step-1 = 註冊帳號，並以 IMEI 綁定您的手機。
home-step-2 = 取得 eSIM：掃描 QR 碼，或複製啟用碼。
home-step-3 = 為您要前往的國家/地區購買方案，可使用信用卡、支付寶或微信支付付款。
home-step-4 = 隨時查看用量；數據快用完或門號即將失效前，我們都會提前通知您。

## Sign up and sign in
signup-title = 註冊帳號
signup-submit = 註冊
signup-have-account = 已經有帳號了？
signin-title = 登入
signin-submit = 登入
signin-no-account = 第一次使用 keepsim？
signin-forgot = 忘記密碼？
forgot-title = 重設密碼
forgot-hint = 請輸入帳戶的電子郵件地址。如果該地址屬於某個帳戶，我們會寄出設定新密碼的連結；連結只能使用一次，有效期 1 小時。
forgot-submit = 寄出連結
forgot-sent = 如果該地址屬於某個帳戶，連結已經寄出。請查看收件匣，也請查看垃圾郵件資料夾。
field-new-password = 新密碼
reset-title = 設定新密碼
reset-submit = 儲存新密碼
reset-done = 密碼已變更，所有裝置都已登出。請使用新密碼登入。
reset-invalid = 此連結無效：可能已被使用、已過期，或複製不完整。
reset-again = 重新取得連結
verify-title = 確認電子郵件地址
verify-hint = 請確認這是您的電子郵件地址，以便您收到關於門號的提醒。
verify-submit = 確認我的地址
verify-done = 謝謝，您的電子郵件地址已確認。
app-verify-needed = 您的電子郵件地址尚未確認。在方案或門號即將失效前，我們會透過它提醒您。
app-verify-send = 寄給我確認連結
app-verify-sent = 確認連結已寄到您的信箱。
field-email = 電子郵件
field-password = 密碼
field-password-hint = 至少 10 個字元，且不可與電子郵件地址相同。
field-imei = IMEI
field-imei-hint = 手機的 15 位數識別碼。撥打 *#06# 即可查看，也可以在「設定 → 一般 → 關於本機」（iPhone）或「設定 → 關於手機」（Android）中找到。
field-device-label = 名稱（選填）
field-device-label-hint = 例如「我的 iPhone」。
field-eid = EID（選填）
field-eid-hint = 32 位數字，只有手機廠商要求時才需要。iPhone：設定 → 一般 → 關於本機 → EID。Android：設定 → 關於手機 → SIM 卡狀態。
field-currency = 幣別
field-subject = 主旨
field-message = 內容

## Live IMEI check in the browser ({"{n}"} is replaced by a number there)
imei-live-digits = 請只輸入數字。
imei-live-short = 還差 { "{n}" } 位數字。
imei-live-long = IMEI 必須剛好是 15 位數字。
imei-live-check = 號碼有誤：最後一位檢查碼不相符。
imei-live-ok = 格式正確。

## Customer home
app-title = 我的門號
# $email (String)
app-signed-in-as = 目前登入帳號：{ $email }
# $count (Int)
app-unread = 您有 { $count } 則未讀訊息。
app-no-lines = 您還沒有 eSIM。綁定手機即可取得。
app-bind-first = 綁定裝置
# $amount (String)
app-data-left = 剩餘數據 { $amount }
app-no-bundle = 目前沒有生效中的方案。
app-usage = 用量
app-topup = 購買方案
app-esim = eSIM
# $count (Int)
app-devices-without-line = 有 { $count } 台裝置還沒有 eSIM。

## States
line-state-assigned = 待安裝
line-state-active = 使用中
line-state-grace = 寬限期
line-state-suspended = 已停話
line-state-recycled = 已收回
bundle-state-active = 使用中
bundle-state-exhausted = 已用完
bundle-state-expired = 已到期
bundle-state-revoked = 已退款
ledger-topup_credit = 儲值
ledger-usage_debit = 使用
ledger-reserve = 保留
ledger-release = 解除保留
ledger-expiry_forfeit = 到期歸零
ledger-refund_revoke = 退款
method-card = 信用卡
method-alipay = 支付寶
method-wechat = 微信支付
ticket-status-open = 處理中
ticket-status-answered = 已回覆
ticket-status-closed = 已結案
ticket-author-customer = 您
ticket-author-staff = keepsim 客服

## Devices
devices-title = 裝置
devices-unnamed = 未命名裝置
# $number (String)
devices-line = 門號 { $number }
devices-get-esim = 取得 eSIM
devices-remove = 移除
devices-removed-hint = 沒有 eSIM 的手機可以移除。
devices-none = 尚未綁定任何裝置。
devices-bind-title = 綁定裝置
devices-bind-submit = 綁定
devices-one-per-line-title = 為什麼一台裝置只能使用一個 eSIM？
devices-one-per-line = 每個 eSIM 都是為一支手機製作，並與該手機的 IMEI 綁定。如要將門號移到新手機，請先綁定新手機，再聯絡客服轉移門號。

## eSIM
esim-title = 您的 eSIM
esim-number = 手機門號
esim-state = 狀態
esim-device = 裝置
esim-kept-until = 門號保留至
esim-qr-title = 掃描 QR 碼安裝
esim-qr-hint = 在另一個螢幕上開啟此頁面，再用已綁定的手機掃描 QR 碼。
esim-qr-alt = eSIM 啟用碼的 QR 碼
esim-code-title = 或手動輸入啟用碼
esim-copy = 複製啟用碼
esim-copied = 已複製
esim-smdp = SM-DP+ 位址
esim-matching-id = 啟用碼（Matching ID）
esim-ios-title = 在 iPhone 上安裝
esim-ios-1 = 開啟「設定 → 行動服務（或行動網路）→ 加入 eSIM」。
esim-ios-2 = 選擇「使用 QR 碼」並掃描，或點一下「手動輸入詳細資訊」並貼上啟用碼。
esim-ios-3 = 將新門號的標籤設為「旅遊」，出國時選擇它作為行動數據門號。
esim-ios-4 = 為這個門號開啟「數據漫遊」。
esim-android-title = 在 Android 手機上安裝
esim-android-1 = 開啟「設定 → 網路和網際網路 → SIM 卡 → 新增 SIM 卡」（或「改為下載 SIM 卡」）。
esim-android-2 = 掃描 QR 碼，或選擇「需要協助嗎？」→「手動輸入」並貼上啟用碼。
esim-android-3 = 啟用新的 SIM 卡，並將其設為行動數據使用的 SIM 卡。
esim-android-4 = 為這張 SIM 卡開啟「漫遊」。
esim-move-title = 換了新手機？
esim-move-hint = 將這個門號移到您已綁定的另一支手機上，方案和有效期會一起移過去。新手機會取得新的 eSIM（本頁會顯示新的 QR 碼），舊手機上的 eSIM 將停止運作。
esim-move-device = 新手機
esim-move-confirm = 我了解舊手機上的 eSIM 將停止運作。
esim-move-confirm-needed = 請勾選以確認。
esim-move-submit = 移轉我的門號
esim-move-none = 請先在「裝置」頁面綁定新手機，之後即可在這裡將門號移過去。

## Coverage and packages
coverage-title = 涵蓋範圍
coverage-search-title = 您要去哪裡？
coverage-search-label = 搜尋國家/地區
coverage-search-placeholder = 例如：日本、Japan、JP
coverage-search-button = 搜尋
coverage-countries-title = 國家/地區
# $count (Int)
coverage-countries = { $count } 個國家/地區
# $count (Int)
coverage-found = 找到 { $count } 個國家/地區
# $query (String)
coverage-none = 沒有符合「{ $query }」的國家/地區。
packages-title = 方案
# $place (String)
packages-for = { $place } 適用方案
packages-show = 顯示
packages-none = 目前沒有涵蓋此地的方案。
packages-data-unlimited = 無限數據
# $amount (String)
packages-data = { $amount } 數據
packages-no-data = 不含數據
# $count (Int)
packages-minutes = 通話 { $count } 分鐘
# $count (Int)
packages-sms = 簡訊 { $count } 則
# $days (Int)
packages-validity = 效期 { $days } 天
# $days (Int)
packages-keeps-number = 門號多保留 { $days } 天
packages-buy = 購買
packages-no-price = 此幣別不提供購買。

## Buying
buy-title = 購買方案
buy-line = 要為哪個門號購買
buy-method = 付款方式
buy-method-hint = 示範模式下，由沙盒結帳頁代替付款機構，不會產生實際扣款。
buy-submit = 前往付款
buy-no-line = 您必須先有 eSIM，才能購買方案。
order-title = 您的訂單
order-package = 方案
order-amount = 金額
order-method = 付款方式
order-scan-alipay = 用支付寶掃碼付款
order-scan-wechat = 用微信掃碼付款
order-scan-card = 用支付寶掃碼付款
order-open-alipay = 開啟支付寶
order-pay-now = 立即付款
order-see-bundle = 查看用量
order-status-awaiting_payment = 等待付款
order-status-awaiting_payment-hint = 請完成付款；此頁面會自動更新。
order-status-paid = 處理中
order-status-paid-hint = 已收到您的付款，正在為您的門號加入方案…
order-status-fulfilled = 已完成
order-status-fulfilled-hint = 方案已加入您的門號，可以立即使用。
order-status-failed = 付款失敗
order-status-failed-hint = 未扣款，也未加入任何方案。請再試一次或改用其他付款方式。
order-status-expired = 已逾期
order-status-expired-hint = 訂單未在時限內付款。準備好後請重新下單。
order-status-refunded = 已退款
order-status-refunded-hint = 此訂單已退款。
order-status-partially_refunded = 部分退款
order-status-partially_refunded-hint = 此訂單已部分退款。
checkout-title = 沙盒結帳
# $method (String)
checkout-sandbox = 示範模式：不會產生實際扣款。內建的{ $method }閘道會以與付款機構完全相同的方式為通知簽章。
checkout-status = 狀態
# $amount (String)
checkout-pay = 支付 { $amount }
checkout-decline = 拒絕
checkout-back = 返回訂單

## Usage
usage-title = 用量
# $date (String)
usage-kept-until = 您的門號保留至 { $date }。
usage-not-kept = 您的門號尚未保留：購買方案即可保留門號。
usage-total = 總剩餘量
usage-bundles = 方案
usage-data = 數據
usage-voice = 通話分鐘數
usage-sms = 簡訊
usage-unlimited = 無限數據
usage-no-data = 沒有數據方案。
# $amount (String)
usage-used = 已使用 { $amount }
# $left (String), $total (String)
usage-left-of = 剩餘 { $left }，共 { $total }
# $left (Int), $total (Int)
usage-minutes-left = 剩餘 { $left } 分鐘，共 { $total } 分鐘
# $left (Int), $total (Int)
usage-sms-left = 剩餘 { $left } 則簡訊，共 { $total } 則
usage-remaining-data = 剩餘數據
usage-remaining-voice = 剩餘分鐘數
usage-remaining-sms = 剩餘簡訊
# $date (String)
usage-expires = { $date } 到期
# $days (Int)
usage-starts-first-use = 在國外首次使用時開始計算 { $days } 天效期。
usage-chart-title = 最近 30 天數據用量
# $amount (String)
usage-chart-total = 共 { $amount }
usage-history = 明細
usage-history-when = 時間
usage-history-what = 項目
usage-history-amount = 數量
usage-history-empty = 目前沒有紀錄。

## Inbox
inbox-title = 訊息
inbox-empty = 沒有訊息。
inbox-new = 新
inbox-mark-read = 標示為已讀

## Help and support
help-title = 說明
help-more = 還是無法解決？
faq-countries-q = 支援哪些國家/地區？
# $count (Int)
faq-countries-a = 共 { $count } 個國家/地區，依地區分組。在涵蓋範圍頁面搜尋國家/地區，即可查看涵蓋該地的方案。
faq-usage-q = 如何查看我的用量？
faq-usage-a = 用量頁面會依方案顯示剩餘的數據、通話分鐘數和簡訊，並附上進度列及到期日；另外也會顯示總剩餘量、最近 30 天的用量圖表，以及每一筆儲值、使用和到期紀錄。電信網路回報用量後，幾乎會立即顯示。
faq-device-q = 為什麼一個門號只能用於一台裝置？
faq-device-a = eSIM 安裝在一支手機上，並與該手機的 IMEI 綁定。請分別綁定每支手機。換了新手機？先綁定新手機，再到 eSIM 頁面選擇「移轉我的門號」：門號、方案和有效期都會移到新手機上的新 eSIM。
faq-imei-q = 在哪裡可以找到 IMEI？
faq-validity-q = 方案何時生效、何時到期？
faq-validity-a = 有些方案在購買時生效，有些則在您首次於涵蓋的國家/地區使用時生效；效期天數從生效時起算。方案到期時剩餘的部分將會歸零，並顯示在您的明細中。
faq-keep-q = 我的門號是如何保留的？
faq-keep-a = 每次符合條件的儲值都會讓門號再多保留一段時間。門號若逾期，會先進入寬限期，接著停話，最後被收回；每個階段之前我們都會通知您。在寬限期或停話期間儲值，即可恢復門號。
support-title = 客服
support-none = 您還沒有提出任何問題。
support-new = 提出問題
support-send = 送出
support-reply = 您的回覆
support-back = 所有問題

## Error pages
error-page-back = 返回首頁
error-page-not_found = 找不到頁面
error-page-not_found-hint = 此頁面不存在，或不屬於您。
error-page-csrf = 表單已逾時
error-page-csrf-hint = 為了您的安全，表單並未送出。請返回並重新整理頁面後再試一次。
error-page-forbidden = 沒有權限
error-page-forbidden-hint = 您的角色無權執行此操作。
error-page-internal_error = 發生錯誤
error-page-internal_error-hint = 這是我們的問題，請稍後再試。

## Error titles: API problem titles and messages next to form fields, by error code.
error-currency_not_supported = 此付款方式不支援該幣別。
error-device_already_bound = 這支手機已綁定至某個帳號。
error-device_has_line = 此裝置已有 eSIM。
error-email_taken = 此電子郵件已註冊過帳號。
error-forbidden = 您無權執行此操作。
error-idempotency_key_in_use = 相同的要求仍在處理中。
error-idempotency_key_required = 必須提供 Idempotency-Key 標頭。
error-idempotency_key_reused = 此 Idempotency-Key 已用於另一個要求。
error-internal_error = 我們這邊發生錯誤。
error-invalid_credentials = 電子郵件或密碼錯誤。
error-invalid_eid = 此 EID 無效。
error-invalid_email = 電子郵件地址無效。
error-invalid_field = 請檢查此欄位。
error-invalid_imei = IMEI 無效：IMEI 共 15 位數字，最後一位是檢查碼。撥打 *#06# 即可查看您的 IMEI。
error-invalid_token = 此連結無效或已失效。
error-inventory_exhausted = 目前沒有可用的 eSIM，請稍後再試。
error-not_found = 找不到。
error-payment_method_unavailable = 此付款方式目前無法使用。
error-payment_provider_unavailable = 付款機構沒有回應，請再試一次。
error-price_not_available = 此方案不提供該幣別購買。
error-refund_not_allowed = 此訂單無法退款。
error-too_many_attempts = 嘗試次數過多，請稍候再試。
error-unauthenticated = 請先登入。
error-unavailable = 服務暫時無法使用，請稍後再試。
error-unknown_country = 未知的國家/地區。
error-unknown_package = 未知的方案。
error-unknown_region = 未知的地區。
error-unknown_subscriber = 未知的用戶。
error-weak_password = 密碼至少需要 10 個字元，且不可與電子郵件地址相同。
error-invalid_body = 要求內容無效。
error-invalid_json = 要求內容不是有效的 JSON。
error-invalid_query = 查詢字串無效。
error-method_not_allowed = 此處不允許使用該方法。
error-payload_too_large = 要求內容過大。
error-unsupported_media_type = 請以 application/json 格式傳送要求內容。
error-sandbox_delivery_failed = 沙盒無法傳送付款通知。
error-sandbox_refused = 沙盒拒絕了此筆付款。
error-choose_line = 請選擇門號。
error-choose_method = 請選擇付款方式。
error-choose_device = 請選擇手機。
error-csrf = 表單已逾時，請重新整理頁面後再試一次。
error-invalid_totp = 驗證碼錯誤或已使用過，請等待新的驗證碼。
error-empty_field = 此欄位不可空白。

## Admin console
admin-console = 管理後台
admin-role-admin = 管理員
admin-role-support = 客服
admin-role-finance = 財務
admin-author-customer = 客戶
admin-author-staff = 員工
admin-nav-dashboard = 總覽
admin-nav-catalogue = 方案目錄
admin-nav-inventory = eSIM 庫存
admin-nav-customers = 客戶
admin-nav-orders = 訂單
admin-nav-tickets = 客服案件
admin-nav-jobs = 失敗的作業
admin-nav-audit = 稽核紀錄
admin-nav-staff = 員工與 API 金鑰
admin-signin-title = 員工登入
admin-totp-title = 雙重驗證
admin-totp-enrol = 設定驗證器應用程式
admin-totp-enrol-hint = 用驗證器應用程式掃描 QR 碼（或手動輸入密鑰），再輸入應用程式顯示的 6 位數驗證碼。
admin-totp-qr-alt = 驗證器密鑰的 QR 碼
admin-totp-secret = 密鑰：
admin-totp-code = 6 位數驗證碼
admin-totp-verify = 驗證
admin-active-lines = 使用中的門號
admin-chart-topups = 每日儲值
# $currency (String)
admin-chart-revenue = 每日營收（{ $currency }）
admin-chart-lines-in-use = 每日使用中的門號數
admin-chart-data = 每日數據用量
# $total (String)
admin-chart-total = 共 { $total }
# $max (String)
admin-chart-max = 單日最高 { $max }
admin-packages = 方案
admin-code = 代碼
admin-name = 名稱
admin-allowance = 額度
admin-prices = 價格
admin-edit-price = 設定價格
admin-amount = 金額
admin-save = 儲存
admin-retired = 已停用
admin-regions = 地區
admin-policies = 門號保留規則
admin-policy-min = 符合條件的儲值
admin-policy-days = 天數
admin-policy-days-hint = 天數：延長 / 寬限期 / 停話期 / 隔離期。
admin-default = 預設
admin-countries = 國家/地區
admin-show = 顯示
admin-catalogue-file = 編輯整份目錄
admin-country-names = 國家/地區名稱
admin-catalogue-file-hint = 貼上完整的目錄檔（TOML，格式與 keepsim import-catalog 相同）：包括各地區的國家/地區、方案、價格、門號保留規則，以及在部分語言中取代國家/地區標準名稱（CLDR）的 [[country]] 名稱。「預覽」會顯示將有哪些變更；「套用」則會執行變更。
admin-preview = 預覽
admin-apply = 套用
admin-applied = 已套用
admin-available = 可用
admin-assigned = 已指派
admin-import = 匯入
admin-import-hint = 欄位：iccid, imsi, msisdn, smdp_address, matching_id（第一列為標題列）。請選擇檔案或貼上文字。
# $count (Int)
admin-imported = 已匯入 { $count } 個設定檔。
admin-skip-invalid = 匯入正確的列，略過有誤的列
admin-without-check-digit = ICCID 不含檢查碼
admin-search-email = 電子郵件包含
admin-created = 建立時間
admin-next = 下一頁
admin-lines = 門號
admin-expires = 到期時間
admin-ledger = 帳目
admin-service = 服務
admin-units = 數量
admin-any = 全部
admin-since = 起
admin-until = 迄
admin-filter = 篩選
admin-refunded = 已退款
admin-customer = 客戶
admin-bundle = 方案
admin-flag = 標記
admin-refund = 退款
admin-refund-hint = 除非您輸入較小的金額，否則將退還全部剩餘金額。
admin-reason = 原因
admin-history = 歷程
admin-refunds = 退款紀錄
admin-answer = 回覆
admin-close-ticket = 結案
admin-failed-jobs = 失敗的訂單處理作業
admin-failed-deliveries = 已放棄傳送的通知
admin-order = 訂單
admin-attempts = 嘗試次數
admin-error = 最近一次錯誤
admin-retry = 重試
admin-channel = 管道
admin-staff = 員工
admin-action = 操作
admin-target = 對象
admin-detail = 詳細資料
# $email (String)
admin-staff-created = { $email } 現在可以用這組一次性密碼登入（僅顯示一次）：
admin-role = 角色
admin-staff-new = 新增員工
admin-create = 建立
admin-api-keys = API 金鑰
admin-key-once = 新的金鑰（僅顯示一次）：
admin-prefix = 前綴
admin-scopes = 權限範圍
admin-partner = 合作夥伴
admin-revoked = 已撤銷
admin-revoke = 撤銷
admin-create-key = 建立金鑰
