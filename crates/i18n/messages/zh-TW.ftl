### keepsim 訊息目錄 — 繁體中文（zh-TW）。
### 變數與英文（en.ftl）一致；中文沒有複數形式，$days 的選擇器只保留 *[other]。

-brand = keepsim

## 電子郵件共用文字

email-greeting = 您好：
email-footer =
    您會收到這封郵件，是因為它與您的 { -brand } 帳號有關。
    { -brand } — 旅遊預付 eSIM，門號長期為您保留。

## 通知（站內訊息及電子郵件）

notification-topup_succeeded-title = 儲值成功
notification-topup_succeeded-body = 您購買的 { $package }（{ $amount }）已入帳，門號保留至 { $valid_until }。

notification-topup_failed-title = 儲值失敗
notification-topup_failed-body = 您購買 { $package }（{ $amount }）的訂單付款未成功，本次儲值未入帳。請再試一次或改用其他付款方式。

notification-refund-title = 已為您退款
notification-refund-body = 您購買 { $package } 支付的 { $amount } 已退回原付款方式，實際入帳時間依付款機構而定，通常需要數個工作天。

notification-data_threshold-title = 數據用量已達 { $percent }%
notification-data_threshold-body = 您的 { $package } 已使用 { $percent }% 的數據用量，剩餘 { $remaining }。如需更多數據，可隨時儲值。

notification-bundle_exhausted-title = 數據用量已用完
notification-bundle_exhausted-body = 您的 { $package } 數據用量已全部用完，儲值後即可繼續上網。

notification-bundle_expiring-title = { $package } 還有 { $days ->
       *[other] { $days } 天
    }到期
notification-bundle_expiring-body = 您的 { $package } 將於 { $expires } 到期（剩下 { $days ->
       *[other] { $days } 天
    }）。到期後，未使用的數據、通話分鐘數及簡訊將自動歸零。

notification-bundle_expired-title = { $package } 已到期
notification-bundle_expired-body = 您的 { $package } 已到期，未使用的 { $remaining } 已歸零。

notification-line_expiring-title = 門號還有 { $days ->
       *[other] { $days } 天
    }到期
notification-line_expiring-body = 您的門號 { $number } 保留至 { $valid_until }。為避免門號失效，請在此之前完成儲值。

notification-line_grace-title = 門號已進入寬限期
notification-line_grace-body = 您的門號 { $number } 已超過有效期限，目前處於寬限期：仍可接聽電話及接收簡訊，但無法撥打電話、傳送簡訊或使用行動數據。請於 { $expires } 前儲值，即可恢復正常使用。

notification-line_suspended-title = 門號已停話
notification-line_suspended-body = 您的門號 { $number } 已停話，無法撥打及接聽電話。請於 { $expires } 前儲值以恢復使用；逾期門號將被收回，且無法復原。

notification-line_reactivated-title = 門號已恢復使用
notification-line_reactivated-body = 歡迎回來！您的門號 { $number } 已恢復正常使用，保留至 { $valid_until }。

notification-email_verify-title = 請驗證您的電子郵件地址
notification-email_verify-body =
    請點選以下連結，完成電子郵件驗證：
    { $link }
    如果您未曾註冊 { -brand }，請忽略這封郵件。

notification-password_reset-title = 重設密碼
notification-password_reset-body =
    我們收到重設您 { -brand } 帳號密碼的要求。請點選以下連結設定新密碼：
    { $link }
    此連結僅能使用一次，並會在短時間內失效。如果這不是您本人的操作，請忽略這封郵件，您的密碼不會變更。

# $subject (String) the ticket's subject
notification-ticket_answered-title = 客服已回覆：{ $subject }
notification-ticket_answered-body = 我們已回覆您的問題「{ $subject }」。請在應用程式中開啟「客服」查看回覆並繼續溝通。
