### keepsim 网页与 API 错误标题 — 简体中文（zh-CN）。
### 与英文（en.ftl）定义相同的消息，变量一致；中文没有复数形式，数量直接使用变量。

## Navigation and layout
nav-skip = 跳到正文
nav-main = 主导航
nav-language = 语言
nav-language-apply = 切换
nav-signin = 登录
nav-signout = 退出登录
nav-home = 我的号码
nav-devices = 设备
nav-coverage = 覆盖范围
nav-inbox = 消息
nav-support = 客服
nav-help = 帮助
footer-text = keepsim — 旅行预付费 eSIM，号码长期为您保留。

## Home
home-title = 出境随时在线，号码一直为您保留
home-lead = 绑定手机，一分钟装好 eSIM，按目的地购买流量、通话分钟数和短信；每年只需小额充值即可保号。
home-cta-signup = 注册账户
home-regions = 地区
home-how = 使用方法
home-step-1 = 注册账户，并通过 IMEI 绑定您的手机。
home-step-2 = 获取 eSIM：扫描二维码，或复制激活码。
home-step-3 = 为要去的国家/地区购买套餐，可使用银行卡、支付宝或微信支付付款。
home-step-4 = 随时查看用量；流量快用完或号码即将失效前，我们都会提前提醒您。

## Sign up and sign in
signup-title = 注册账户
signup-submit = 注册
signup-have-account = 已有账户？
signin-title = 登录
signin-submit = 登录
signin-no-account = 第一次使用 keepsim？
signin-forgot = 忘记密码？
forgot-title = 重置密码
forgot-hint = 请输入账户的电子邮箱地址。如果该地址属于某个账户，我们会发送一个设置新密码的链接；链接只能使用一次，有效期 1 小时。
forgot-submit = 发送链接
forgot-sent = 如果该地址属于某个账户，链接已经发出。请查看收件箱，也请查看垃圾邮件文件夹。
field-new-password = 新密码
reset-title = 设置新密码
reset-submit = 保存新密码
reset-done = 密码已更改，所有设备均已退出登录。请使用新密码登录。
reset-invalid = 此链接无效：可能已被使用、已过期，或复制不完整。
reset-again = 重新获取链接
verify-title = 确认电子邮箱地址
verify-hint = 请确认这是您的邮箱地址，以便您能收到关于号码的提醒。
verify-submit = 确认我的邮箱
verify-done = 谢谢，您的邮箱地址已确认。
app-verify-needed = 您的邮箱地址尚未确认。在套餐或号码即将失效前，我们会通过它提醒您。
app-verify-send = 给我发送确认链接
app-verify-sent = 确认链接已发送到您的邮箱。
field-email = 邮箱
field-password = 密码
field-password-hint = 至少 10 个字符，且不能与邮箱地址相同。
field-imei = IMEI
field-imei-hint = 手机的 15 位识别码。拨打 *#06# 即可查看，也可以在“设置 → 通用 → 关于本机”（iPhone）或“设置 → 关于手机”（Android）中找到。
field-device-label = 名称（可选）
field-device-label-hint = 例如“我的 iPhone”。
field-eid = EID（选填）
field-eid-hint = 32 位数字，仅在手机厂商要求时需要。iPhone：设置 → 通用 → 关于本机 → EID。Android：设置 → 关于手机 → SIM 卡状态。
field-currency = 币种
field-subject = 主题
field-message = 内容

## Live IMEI check in the browser ({"{n}"} is replaced by a number there)
imei-live-digits = 请只输入数字。
imei-live-short = 还差 { "{n}" } 位数字。
imei-live-long = IMEI 必须正好是 15 位数字。
imei-live-check = 号码有误：最后一位校验码不匹配。
imei-live-ok = 格式正确。

## Customer home
app-title = 我的号码
# $email (String)
app-signed-in-as = 当前登录账户：{ $email }
# $count (Int)
app-unread = 您有 { $count } 条未读消息。
app-no-lines = 您还没有 eSIM。绑定手机即可获取。
app-bind-first = 绑定设备
# $amount (String)
app-data-left = 剩余流量 { $amount }
app-no-bundle = 暂无生效中的套餐。
app-usage = 用量
app-topup = 购买套餐
app-esim = eSIM
# $count (Int)
app-devices-without-line = 有 { $count } 台设备还没有 eSIM。

## States
line-state-assigned = 待安装
line-state-active = 使用中
line-state-grace = 宽限期
line-state-suspended = 已停机
line-state-recycled = 已回收
bundle-state-active = 使用中
bundle-state-exhausted = 已用完
bundle-state-expired = 已过期
bundle-state-revoked = 已退款
ledger-topup_credit = 充值
ledger-usage_debit = 使用
ledger-reserve = 预留
ledger-release = 释放预留
ledger-expiry_forfeit = 过期清零
ledger-refund_revoke = 退款
method-card = 银行卡
method-alipay = 支付宝
method-wechat = 微信支付
ticket-status-open = 待处理
ticket-status-answered = 已回复
ticket-status-closed = 已关闭
ticket-author-customer = 您
ticket-author-staff = keepsim 客服

## Devices
devices-title = 设备
devices-unnamed = 未命名设备
# $number (String)
devices-line = 号码 { $number }
devices-get-esim = 获取 eSIM
devices-remove = 移除
devices-removed-hint = 没有 eSIM 的手机可以移除。
devices-none = 还没有绑定任何设备。
devices-bind-title = 绑定设备
devices-bind-submit = 绑定
devices-one-per-line-title = 为什么一台设备只能用一个 eSIM？
devices-one-per-line = 每个 eSIM 都是为一部手机制作的，并与该手机的 IMEI 绑定。如需把号码转到新手机，请先绑定新手机，再联系客服迁移号码。

## eSIM
esim-title = 您的 eSIM
esim-number = 手机号码
esim-state = 状态
esim-device = 设备
esim-kept-until = 号码保留至
esim-qr-title = 扫描二维码安装
esim-qr-hint = 在另一块屏幕上打开此页面，用已绑定的手机扫描二维码。
esim-qr-alt = eSIM 激活码的二维码
esim-code-title = 或手动输入激活码
esim-copy = 复制激活码
esim-copied = 已复制
esim-smdp = SM-DP+ 地址
esim-matching-id = 激活码（Matching ID）
esim-ios-title = 在 iPhone 上安装
esim-ios-1 = 打开“设置 → 蜂窝网络 → 添加 eSIM”。
esim-ios-2 = 选择“使用二维码”并扫描，或轻点“手动输入详细信息”并粘贴激活码。
esim-ios-3 = 将新号码的标签设为“旅行”，出境时选择它作为蜂窝数据号码。
esim-ios-4 = 为这个号码打开“数据漫游”。
esim-android-title = 在 Android 手机上安装
esim-android-1 = 打开“设置 → 网络和互联网 → SIM 卡 → 添加 SIM 卡”（或“改为下载 SIM 卡”）。
esim-android-2 = 扫描二维码，或选择“需要帮助？”→“手动输入”并粘贴激活码。
esim-android-3 = 启用新的 SIM 卡，并将其设为移动数据卡。
esim-android-4 = 为这张 SIM 卡开启“漫游”。
esim-move-title = 换了新手机？
esim-move-hint = 把这个号码转到您已绑定的另一部手机上，套餐和有效期随号码一起转移。新手机会获得一个新的 eSIM（本页会显示新的二维码），旧手机上的 eSIM 将停止工作。
esim-move-device = 新手机
esim-move-confirm = 我知道旧手机上的 eSIM 将停止工作。
esim-move-confirm-needed = 请勾选以确认。
esim-move-submit = 转移我的号码
esim-move-none = 请先在“设备”页面绑定新手机，然后即可在这里把号码转过去。

## Coverage and packages
coverage-title = 覆盖范围
coverage-search-title = 您要去哪里？
coverage-search-label = 搜索国家/地区
coverage-search-placeholder = 例如：日本、Japan、JP
coverage-search-button = 搜索
coverage-countries-title = 国家/地区
# $count (Int)
coverage-countries = { $count } 个国家/地区
# $count (Int)
coverage-found = 找到 { $count } 个国家/地区
# $query (String)
coverage-none = 没有与“{ $query }”匹配的国家/地区。
packages-title = 套餐
# $place (String)
packages-for = { $place } 可用套餐
packages-show = 显示
packages-none = 暂无覆盖该地区的套餐。
packages-data-unlimited = 不限流量
# $amount (String)
packages-data = { $amount } 流量
packages-no-data = 不含流量
# $count (Int)
packages-minutes = { $count } 分钟通话
# $count (Int)
packages-sms = { $count } 条短信
# $days (Int)
packages-validity = 有效期 { $days } 天
# $days (Int)
packages-keeps-number = 号码多保留 { $days } 天
packages-buy = 购买
packages-no-price = 不支持以此币种购买。

## Buying
buy-title = 购买套餐
buy-line = 为哪个号码购买
buy-method = 支付方式
buy-method-hint = 演示模式下由沙盒收银台代替支付机构，不会产生真实扣款。
buy-submit = 去支付
buy-no-line = 您需要先有 eSIM，才能购买套餐。
order-title = 您的订单
order-package = 套餐
order-amount = 金额
order-method = 支付方式
order-scan-alipay = 用支付宝扫码付款
order-scan-wechat = 用微信扫码付款
order-scan-card = 用支付宝扫码付款
order-open-alipay = 打开支付宝
order-pay-now = 立即支付
order-see-bundle = 查看用量
order-status-awaiting_payment = 等待支付
order-status-awaiting_payment-hint = 请完成支付；本页面会自动更新。
order-status-paid = 处理中
order-status-paid-hint = 已收到您的付款，正在为您的号码添加套餐…
order-status-fulfilled = 已完成
order-status-fulfilled-hint = 套餐已添加到您的号码，可以立即使用。
order-status-failed = 支付失败
order-status-failed-hint = 未扣款，也未添加任何套餐。请重试或更换支付方式。
order-status-expired = 已过期
order-status-expired-hint = 订单未在规定时间内支付。准备好后请重新下单。
order-status-refunded = 已退款
order-status-refunded-hint = 此订单已退款。
order-status-partially_refunded = 部分退款
order-status-partially_refunded-hint = 此订单已部分退款。
checkout-title = 沙盒收银台
# $method (String)
checkout-sandbox = 演示模式：不会产生真实扣款。内置的{ $method }网关会按照支付机构完全相同的方式为通知签名。
checkout-status = 状态
# $amount (String)
checkout-pay = 支付 { $amount }
checkout-decline = 拒绝
checkout-back = 返回订单

## Usage
usage-title = 用量
# $date (String)
usage-kept-until = 您的号码保留至 { $date }。
usage-not-kept = 您的号码尚未保留：购买套餐即可保号。
usage-total = 总剩余
usage-bundles = 套餐
usage-data = 流量
usage-voice = 通话分钟数
usage-sms = 短信
usage-unlimited = 不限流量
usage-no-data = 没有流量套餐。
# $amount (String)
usage-used = 已用 { $amount }
# $left (String), $total (String)
usage-left-of = 剩余 { $left }，共 { $total }
# $left (Int), $total (Int)
usage-minutes-left = 剩余 { $left } 分钟，共 { $total } 分钟
# $left (Int), $total (Int)
usage-sms-left = 剩余 { $left } 条短信，共 { $total } 条
usage-remaining-data = 剩余流量
usage-remaining-voice = 剩余分钟数
usage-remaining-sms = 剩余短信
# $date (String)
usage-expires = { $date } 到期
# $days (Int)
usage-starts-first-use = 在境外首次使用时开始计算 { $days } 天有效期。
usage-chart-title = 最近 30 天流量用量
# $amount (String)
usage-chart-total = 共 { $amount }
usage-history = 明细
usage-history-when = 时间
usage-history-what = 项目
usage-history-amount = 数量
usage-history-empty = 暂无记录。

## Inbox
inbox-title = 消息
inbox-empty = 没有消息。
inbox-new = 新
inbox-mark-read = 标为已读

## Help and support
help-title = 帮助
help-more = 仍未解决？
faq-countries-q = 支持哪些国家/地区？
# $count (Int)
faq-countries-a = 共 { $count } 个国家/地区，按地区分组。在覆盖范围页面搜索国家/地区，即可查看覆盖该地的套餐。
faq-usage-q = 如何查看我的用量？
faq-usage-a = 用量页面会按套餐显示剩余的流量、通话分钟数和短信，附有进度条和到期日期；还会显示总剩余、最近 30 天的用量图表，以及每一笔充值、使用和过期记录。网络上报用量后，几乎立即就会显示出来。
faq-device-q = 为什么一个号码只能用于一台设备？
faq-device-a = eSIM 安装在一部手机上，并与该手机的 IMEI 绑定。请分别绑定每部手机。换了新手机？先绑定新手机，然后在 eSIM 页面选择“转移我的号码”：号码、套餐和有效期都会转到新手机上的新 eSIM。
faq-imei-q = 在哪里可以找到 IMEI？
faq-validity-q = 套餐何时生效、何时到期？
faq-validity-a = 有些套餐在购买时生效，有些则在您首次于覆盖的国家/地区使用时生效；有效天数从生效时起算。套餐到期时剩余的部分将会清零，并显示在您的明细中。
faq-keep-q = 我的号码是如何保留的？
faq-keep-a = 每次符合条件的充值都会让号码再多保留一段时间。如果号码过期，会先进入宽限期，然后停机，最终被回收；每一步之前我们都会提醒您。在宽限期或停机期间充值即可恢复号码。
support-title = 客服
support-none = 您还没有提过问题。
support-new = 提问
support-send = 发送
support-reply = 您的回复
support-back = 全部问题

## Error pages
error-page-back = 返回首页
error-page-not_found = 页面不存在
error-page-not_found-hint = 此页面不存在，或者不属于您。
error-page-csrf = 表单已过期
error-page-csrf-hint = 为了您的安全，表单未被提交。请返回并刷新页面后重试。
error-page-forbidden = 无权操作
error-page-forbidden-hint = 您的角色无权执行此操作。
error-page-internal_error = 出错了
error-page-internal_error-hint = 这是我们的问题，请稍后重试。

## Error titles: API problem titles and messages next to form fields, by error code.
error-currency_not_supported = 此支付方式不支持该币种。
error-device_already_bound = 这部手机已绑定到某个账户。
error-device_has_line = 此设备已有 eSIM。
error-email_taken = 该邮箱已注册账户。
error-forbidden = 您无权执行此操作。
error-idempotency_key_in_use = 相同的请求仍在处理中。
error-idempotency_key_required = 缺少 Idempotency-Key 请求头。
error-idempotency_key_reused = 此 Idempotency-Key 已用于另一个请求。
error-internal_error = 我们这边出了问题。
error-invalid_credentials = 邮箱或密码错误。
error-invalid_eid = 此 EID 无效。
error-invalid_email = 邮箱地址无效。
error-invalid_field = 请检查此项。
error-invalid_imei = IMEI 无效：IMEI 共 15 位数字，最后一位是校验码。拨打 *#06# 即可查看您的 IMEI。
error-invalid_token = 此链接无效或已过期。
error-inventory_exhausted = 暂无可用的 eSIM，请稍后再试。
error-not_found = 未找到。
error-payment_method_unavailable = 此支付方式暂不可用。
error-payment_provider_unavailable = 支付机构未响应，请重试。
error-price_not_available = 此套餐不支持以该币种购买。
error-refund_not_allowed = 此订单无法退款。
error-too_many_attempts = 尝试次数过多，请稍候再试。
error-unauthenticated = 请先登录。
error-unavailable = 服务暂不可用，请稍后再试。
error-unknown_country = 未知的国家/地区。
error-unknown_package = 未知的套餐。
error-unknown_region = 未知的地区。
error-unknown_subscriber = 未知的用户。
error-weak_password = 密码至少需要 10 个字符，且不能与邮箱地址相同。
error-invalid_body = 请求正文无效。
error-invalid_json = 请求正文不是有效的 JSON。
error-invalid_query = 查询字符串无效。
error-method_not_allowed = 此处不允许使用该方法。
error-payload_too_large = 请求过大。
error-unsupported_media_type = 请以 application/json 格式发送请求正文。
error-sandbox_delivery_failed = 沙盒无法发送支付通知。
error-sandbox_refused = 沙盒拒绝了此次支付。
error-choose_line = 请选择号码。
error-choose_method = 请选择支付方式。
error-choose_device = 请选择手机。
error-csrf = 表单已过期，请刷新页面后重试。
error-invalid_totp = 验证码错误或已被使用，请等待新的验证码。
error-empty_field = 此项不能为空。

## Admin console
admin-console = 管理后台
admin-role-admin = 管理员
admin-role-support = 客服
admin-role-finance = 财务
admin-author-customer = 客户
admin-author-staff = 员工
admin-nav-dashboard = 概览
admin-nav-catalogue = 套餐目录
admin-nav-inventory = eSIM 库存
admin-nav-customers = 客户
admin-nav-orders = 订单
admin-nav-tickets = 工单
admin-nav-jobs = 失败任务
admin-nav-audit = 审计日志
admin-nav-staff = 员工与 API 密钥
admin-signin-title = 员工登录
admin-totp-title = 双重验证
admin-totp-enrol = 设置身份验证器应用
admin-totp-enrol-hint = 用身份验证器应用扫描二维码（或手动输入密钥），然后输入应用显示的 6 位验证码。
admin-totp-qr-alt = 身份验证器密钥的二维码
admin-totp-secret = 密钥：
admin-totp-code = 6 位验证码
admin-totp-verify = 验证
admin-active-lines = 使用中的号码
admin-chart-topups = 每日充值
# $currency (String)
admin-chart-revenue = 每日收入（{ $currency }）
admin-chart-lines-in-use = 每日使用中的号码数
admin-chart-data = 每日流量用量
# $total (String)
admin-chart-total = 共 { $total }
# $max (String)
admin-chart-max = 单日最高 { $max }
admin-packages = 套餐
admin-code = 代码
admin-name = 名称
admin-allowance = 额度
admin-prices = 价格
admin-edit-price = 设置价格
admin-amount = 金额
admin-save = 保存
admin-retired = 已停用
admin-regions = 地区
admin-policies = 保号规则
admin-policy-min = 符合条件的充值
admin-policy-days = 天数
admin-policy-days-hint = 天数：延长 / 宽限期 / 停机期 / 隔离期。
admin-default = 默认
admin-countries = 国家/地区
admin-show = 显示
admin-catalogue-file = 编辑整个目录
admin-country-names = 国家/地区名称
admin-catalogue-file-hint = 粘贴完整的目录文件（TOML，格式与 keepsim import-catalog 相同）：包括各地区的国家/地区、套餐、价格、保号规则，以及在部分语言中替换国家/地区标准名称（CLDR）的 [[country]] 名称。“预览”显示将要发生的变更；“应用”则执行这些变更。
admin-preview = 预览
admin-apply = 应用
admin-applied = 已应用
admin-available = 可用
admin-assigned = 已分配
admin-import = 导入
admin-import-hint = 列：iccid, imsi, msisdn, smdp_address, matching_id（第一行为表头）。请选择文件或粘贴文本。
# $count (Int)
admin-imported = 已导入 { $count } 个配置文件。
admin-skip-invalid = 导入有效的行，跳过无效的行
admin-without-check-digit = ICCID 不含校验位
admin-search-email = 邮箱包含
admin-created = 创建时间
admin-next = 下一页
admin-lines = 号码
admin-expires = 到期时间
admin-ledger = 账目
admin-service = 业务
admin-units = 数量
admin-any = 全部
admin-since = 从
admin-until = 至
admin-filter = 筛选
admin-refunded = 已退款
admin-customer = 客户
admin-bundle = 套餐
admin-flag = 标记
admin-refund = 退款
admin-refund-hint = 默认退还全部剩余金额，除非您输入更小的金额。
admin-reason = 原因
admin-history = 历史记录
admin-refunds = 退款记录
admin-answer = 回复
admin-close-ticket = 关闭工单
admin-failed-jobs = 失败的订单处理任务
admin-failed-deliveries = 已放弃发送的通知
admin-order = 订单
admin-attempts = 尝试次数
admin-error = 最近一次错误
admin-retry = 重试
admin-channel = 渠道
admin-staff = 员工
admin-action = 操作
admin-target = 对象
admin-detail = 详情
# $email (String)
admin-staff-created = { $email } 现在可以使用此一次性密码登录（仅显示一次）：
admin-role = 角色
admin-staff-new = 添加员工
admin-create = 创建
admin-api-keys = API 密钥
admin-key-once = 新密钥（仅显示一次）：
admin-prefix = 前缀
admin-scopes = 权限范围
admin-partner = 合作方
admin-revoked = 已吊销
admin-revoke = 吊销
admin-create-key = 创建密钥
