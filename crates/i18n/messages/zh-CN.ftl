### keepsim 消息目录 — 简体中文（zh-CN）。
### 变量与英文（en.ftl）一致；中文没有复数形式，$days 的选择器只保留 *[other]。

-brand = keepsim

## 邮件通用文本

email-greeting = 您好：
email-footer =
    您收到这封邮件，是因为它与您的 { -brand } 账户有关。
    { -brand } — 旅行预付费 eSIM，号码长期为您保留。

## 通知（站内信及邮件）

notification-topup_succeeded-title = 充值成功
notification-topup_succeeded-body = 您购买的 { $package }（{ $amount }）已到账，号码保留至 { $valid_until }。

notification-topup_failed-title = 充值失败
notification-topup_failed-body = 您购买 { $package }（{ $amount }）的订单支付未成功，本次充值未到账。请重试或更换支付方式。

notification-refund-title = 已为您退款
notification-refund-body = 您购买 { $package } 支付的 { $amount } 已原路退回，到账时间以支付渠道为准，一般需要几个工作日。

notification-data_threshold-title = 流量已使用 { $percent }%
notification-data_threshold-body = 您的 { $package } 流量已使用 { $percent }%，剩余 { $remaining }。如需更多流量，可随时充值。

notification-bundle_exhausted-title = 流量已用完
notification-bundle_exhausted-body = 您的 { $package } 流量已全部用完，充值后即可继续上网。

notification-bundle_expiring-title = { $package } 还有 { $days ->
       *[other] { $days } 天
    }到期
notification-bundle_expiring-body = 您的 { $package } 将于 { $expires } 到期（还剩 { $days ->
       *[other] { $days } 天
    }）。到期后，剩余的流量、通话分钟数和短信将自动清零。

notification-bundle_expired-title = { $package } 已到期
notification-bundle_expired-body = 您的 { $package } 已到期，未使用的 { $remaining } 已清零。

notification-line_expiring-title = 号码还有 { $days ->
       *[other] { $days } 天
    }到期
notification-line_expiring-body = 您的号码 { $number } 保留至 { $valid_until }。为避免号码失效，请在此之前完成充值。

notification-line_grace-title = 号码已进入宽限期
notification-line_grace-body = 您的号码 { $number } 已过有效期，目前处于宽限期：仍可接听电话、接收短信，但无法拨打电话、发送短信或使用流量。请在 { $expires } 前充值，即可恢复正常使用。

notification-line_suspended-title = 号码已停机
notification-line_suspended-body = 您的号码 { $number } 已停机，无法拨打和接听电话。请在 { $expires } 前充值以恢复使用；逾期号码将被回收，且无法找回。

notification-line_reactivated-title = 号码已恢复使用
notification-line_reactivated-body = 欢迎回来！您的号码 { $number } 已恢复正常使用，保留至 { $valid_until }。

notification-email_verify-title = 请验证您的邮箱地址
notification-email_verify-body =
    请点击以下链接，完成邮箱验证：
    { $link }
    如果您没有注册过 { -brand }，请忽略此邮件。

notification-password_reset-title = 重置密码
notification-password_reset-body =
    我们收到了重置您 { -brand } 账户密码的请求。请点击以下链接设置新密码：
    { $link }
    该链接只能使用一次，并会在短时间内失效。如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。

# $subject (String) the ticket's subject
notification-ticket_answered-title = 客服已回复：{ $subject }
notification-ticket_answered-body = 我们已回复您的问题“{ $subject }”。请在应用中打开“客服”查看回复并继续沟通。
