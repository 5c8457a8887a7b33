### keepsim web pages and API error titles — English (en), the reference.
### Every other shipped language defines every message here with the same variables.

## Navigation and layout
nav-skip = Skip to content
nav-main = Main
nav-language = Language
nav-language-apply = Change
nav-signin = Sign in
nav-signout = Sign out
nav-home = My lines
nav-devices = Devices
nav-coverage = Coverage
nav-inbox = Inbox
nav-support = Support
nav-help = Help
footer-text = keepsim — prepaid travel eSIMs that keep your number.

## Home
home-title = Stay online abroad and keep your number
home-lead = Bind your phone, install an eSIM in a minute, buy data, minutes and SMS for where you travel, and keep your home number alive for a small yearly top-up.
home-cta-signup = Create an account
home-regions = Regions
home-how = How it works
home-step-1 = Create an account and bind your phone by its IMEI.
home-step-2 = Get your eSIM: scan the QR code or copy the activation code.
home-step-3 = Buy a package for the countries you visit and pay by card, Alipay or WeChat Pay.
home-step-4 = Watch your usage; we warn you before data runs out or your number lapses.

## Sign up and sign in
signup-title = Create an account
signup-submit = Create account
signup-have-account = Already have an account?
signin-title = Sign in
signin-submit = Sign in
signin-no-account = New to keepsim?
signin-forgot = Forgot your password?
forgot-title = Reset your password
forgot-hint = Enter the email address of your account. If it belongs to an account, we send it a link to choose a new password; the link works once, for one hour.
forgot-submit = Send the link
forgot-sent = If this address belongs to an account, a link is on its way. Look in your inbox, and in the spam folder too.
field-new-password = New password
reset-title = Choose a new password
reset-submit = Set the new password
reset-done = Your password was changed and you were signed out everywhere. Sign in with the new password.
reset-invalid = This link is not valid: it was already used, it expired, or it was copied incompletely.
reset-again = Ask for a new link
verify-title = Confirm your email address
verify-hint = Confirm that this address is yours, so that the warnings about your number reach you.
verify-submit = Confirm my address
verify-done = Thank you: your email address is confirmed.
app-verify-needed = Your email address is not confirmed yet. We use it to warn you before your packages or your number lapse.
app-verify-send = Send me a confirmation link
app-verify-sent = A confirmation link is on its way to your inbox.
field-email = Email
field-password = Password
field-password-hint = At least 10 characters, and not your email address.
field-imei = IMEI
field-imei-hint = The 15-digit number of your phone. Dial *#06# to see it, or look in Settings → General → About (iPhone) or Settings → About phone (Android).
field-device-label = Name (optional)
field-device-label-hint = For example "My iPhone".
field-eid = EID (optional)
field-eid-hint = 32 digits, needed only if your phone maker asks for it. iPhone: Settings → General → About → EID. Android: Settings → About phone → SIM status.
field-currency = Currency
field-subject = Subject
field-message = Message

## Live IMEI check in the browser ({"{n}"} is replaced by a number there)
imei-live-digits = Only digits, please.
imei-live-short = { "{n}" } more digits to go.
imei-live-long = An IMEI has exactly 15 digits.
imei-live-check = This number has a typo: its last digit does not match.
imei-live-ok = Looks good.

## Customer home
app-title = My lines
# $email (String)
app-signed-in-as = Signed in as { $email }
# $count (Int)
app-unread = { $count ->
    [one] You have 1 unread message.
   *[other] You have { $count } unread messages.
}
app-no-lines = You have no eSIM yet. Bind your phone to get one.
app-bind-first = Bind a device
# $amount (String)
app-data-left = { $amount } of data left
app-no-bundle = No active package.
app-usage = Usage
app-topup = Buy a package
app-esim = eSIM
# $count (Int)
app-devices-without-line = { $count ->
    [one] 1 device has no eSIM yet.
   *[other] { $count } devices have no eSIM yet.
}

## States
line-state-assigned = Ready to install
line-state-active = Active
line-state-grace = In grace period
line-state-suspended = Suspended
line-state-recycled = Released
bundle-state-active = Active
bundle-state-exhausted = Used up
bundle-state-expired = Expired
bundle-state-revoked = Refunded
ledger-topup_credit = Top-up
ledger-usage_debit = Usage
ledger-reserve = Reserved
ledger-release = Released
ledger-expiry_forfeit = Expired unused
ledger-refund_revoke = Refunded
method-card = Card
method-alipay = Alipay
method-wechat = WeChat Pay
ticket-status-open = Open
ticket-status-answered = Answered
ticket-status-closed = Closed
ticket-author-customer = You
ticket-author-staff = keepsim support

## Devices
devices-title = Devices
devices-unnamed = Unnamed device
# $number (String)
devices-line = Number { $number }
devices-get-esim = Get the eSIM
devices-remove = Remove
devices-removed-hint = A phone without an eSIM can be removed.
devices-none = No device bound yet.
devices-bind-title = Bind a device
devices-bind-submit = Bind device
devices-one-per-line-title = Why one eSIM per device?
devices-one-per-line = Each eSIM is made for one phone and is tied to its IMEI. To move your number to a new phone, bind the new phone and ask support to move the line.

## eSIM
esim-title = Your eSIM
esim-number = Phone number
esim-state = State
esim-device = Device
esim-kept-until = Number kept until
esim-qr-title = Install with the QR code
esim-qr-hint = Open this page on another screen and scan the code with the phone you bound.
esim-qr-alt = QR code of the eSIM activation code
esim-code-title = Or enter the activation code
esim-copy = Copy the code
esim-copied = Copied
esim-smdp = SM-DP+ address
esim-matching-id = Activation code (matching ID)
esim-ios-title = On an iPhone
esim-ios-1 = Open Settings → Mobile Service (or Cellular) → Add eSIM.
esim-ios-2 = Choose "Use QR Code" and scan the code, or tap "Enter Details Manually" and paste the activation code.
esim-ios-3 = Label the new line "Travel" and choose it for mobile data when abroad.
esim-ios-4 = Turn on Data Roaming for this line.
esim-android-title = On an Android phone
esim-android-1 = Open Settings → Network & internet → SIMs → Add SIM (or "Download a SIM instead").
esim-android-2 = Scan the QR code, or choose "Need help?" → "Enter it manually" and paste the activation code.
esim-android-3 = Turn the new SIM on and select it for mobile data.
esim-android-4 = Turn on Roaming for this SIM.
esim-move-title = Changed phones?
esim-move-hint = Move this number to another phone you have bound: its packages and validity go with it. The new phone gets a new eSIM (a new QR code on this page) and the eSIM on the old phone stops working.
esim-move-device = New phone
esim-move-confirm = I understand that the eSIM on the old phone stops working.
esim-move-confirm-needed = Tick the box to confirm.
esim-move-submit = Move my number
esim-move-none = Bind the new phone on the Devices page first; then you can move your number to it here.

## Coverage and packages
coverage-title = Coverage
coverage-search-title = Where are you going?
coverage-search-label = Search a country
coverage-search-placeholder = e.g. Japan, 日本, JP
coverage-search-button = Search
coverage-countries-title = Countries
# $count (Int)
coverage-countries = { $count ->
    [one] 1 country
   *[other] { $count } countries
}
# $count (Int)
coverage-found = { $count ->
    [one] 1 country found
   *[other] { $count } countries found
}
# $query (String)
coverage-none = No country matches "{ $query }".
packages-title = Packages
# $place (String)
packages-for = Packages for { $place }
packages-show = Show
packages-none = No package covers this place yet.
packages-data-unlimited = Unlimited data
# $amount (String)
packages-data = { $amount } of data
packages-no-data = No data
# $count (Int)
packages-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
# $count (Int)
packages-sms = { $count ->
    [one] 1 SMS
   *[other] { $count } SMS
}
# $days (Int)
packages-validity = { $days ->
    [one] Valid 1 day
   *[other] Valid { $days } days
}
# $days (Int)
packages-keeps-number = { $days ->
    [one] Keeps your number 1 more day
   *[other] Keeps your number { $days } more days
}
packages-buy = Buy
packages-no-price = Not sold in this currency.

## Buying
buy-title = Buy a package
buy-line = For which number
buy-method = Pay with
buy-method-hint = In demo mode a sandbox checkout stands in for the provider; no real money moves.
buy-submit = Continue to payment
buy-no-line = You need an eSIM before you can buy a package.
order-title = Your order
order-package = Package
order-amount = Amount
order-method = Payment method
order-scan-alipay = Scan with Alipay to pay
order-scan-wechat = Scan with WeChat to pay
order-scan-card = Scan with Alipay to pay
order-open-alipay = Open Alipay
order-pay-now = Pay now
order-see-bundle = See my usage
order-status-awaiting_payment = Waiting for your payment
order-status-awaiting_payment-hint = Finish the payment; this page updates by itself.
order-status-paid = Processing
order-status-paid-hint = Your payment arrived. We are adding the package to your line…
order-status-fulfilled = Done
order-status-fulfilled-hint = The package is on your line and ready to use.
order-status-failed = Payment failed
order-status-failed-hint = Nothing was charged and nothing was added. Try again or choose another payment method.
order-status-expired = Expired
order-status-expired-hint = The order was not paid in time. Start a new one when you are ready.
order-status-refunded = Refunded
order-status-refunded-hint = This order was refunded.
order-status-partially_refunded = Partly refunded
order-status-partially_refunded-hint = Part of this order was refunded.
checkout-title = Sandbox checkout
# $method (String)
checkout-sandbox = Demo mode: no real money moves. The built-in { $method } gateway signs its notification exactly as the provider does.
checkout-status = Status
# $amount (String)
checkout-pay = Pay { $amount }
checkout-decline = Decline
checkout-back = Back to the order

## Usage
usage-title = Usage
# $date (String)
usage-kept-until = Your number is kept until { $date }.
usage-not-kept = Your number is not kept yet: buy a package to keep it.
usage-total = Remaining in total
usage-bundles = Packages
usage-data = Data
usage-voice = Minutes
usage-sms = SMS
usage-unlimited = Unlimited data
usage-no-data = No data package.
# $amount (String)
usage-used = { $amount } used
# $left (String), $total (String)
usage-left-of = { $left } left of { $total }
# $left (Int), $total (Int)
usage-minutes-left = { $left } of { $total } minutes left
# $left (Int), $total (Int)
usage-sms-left = { $left } of { $total } SMS left
usage-remaining-data = Data left
usage-remaining-voice = Minutes left
usage-remaining-sms = SMS left
# $date (String)
usage-expires = Expires { $date }
# $days (Int)
usage-starts-first-use = { $days ->
    [one] The day starts counting when you first use it abroad.
   *[other] The { $days } days start counting when you first use it abroad.
}
usage-chart-title = Data used, last 30 days
# $amount (String)
usage-chart-total = { $amount } in total
usage-history = History
usage-history-when = When
usage-history-what = What
usage-history-amount = Amount
usage-history-empty = Nothing yet.

## Inbox
inbox-title = Inbox
inbox-empty = No messages.
inbox-new = New
inbox-mark-read = Mark as read

## Help and support
help-title = Help
help-more = Still stuck?
faq-countries-q = Which countries are supported?
# $count (Int)
faq-countries-a = { $count } countries, grouped in regions. Search a country on the coverage page to see the packages that cover it.
faq-usage-q = How do I read my usage?
faq-usage-a = The usage page shows, for each package, what is left of its data, minutes and SMS, with a bar and the expiry date, plus the total, a chart of the last 30 days and every top-up, usage and expiry. Usage appears within moments of the network reporting it.
faq-device-q = Why one device per line?
faq-device-a = An eSIM is installed on one phone and tied to its IMEI. Bind each phone separately. Changed phones? Bind the new one, then choose "Move my number" on your eSIM page: the number, its packages and its validity move to a new eSIM on the new phone.
faq-imei-q = Where do I find my IMEI?
faq-validity-q = When do packages start and expire?
faq-validity-a = Some packages start on purchase, others when you first use them in a covered country; the validity days count from then. Whatever is left when a package expires is forfeited and shown in your history.
faq-keep-q = How is my number kept?
faq-keep-a = Every qualifying top-up keeps your number for a while longer. If it lapses, the line enters a grace period, is then suspended, and is finally released; we warn you before each step. A top-up during grace or suspension brings it back.
support-title = Support
support-none = You have not asked anything yet.
support-new = Ask a question
support-send = Send
support-reply = Your reply
support-back = All questions

## Error pages
error-page-back = Back to the start
error-page-not_found = Not found
error-page-not_found-hint = This page does not exist, or it is not yours.
error-page-csrf = This form has expired
error-page-csrf-hint = For your safety the form was not sent. Go back, reload the page and try again.
error-page-forbidden = Not allowed
error-page-forbidden-hint = Your role may not do this.
error-page-internal_error = Something went wrong
error-page-internal_error-hint = It is our fault. Please try again in a moment.

## Error titles: API problem titles and messages next to form fields, by error code.
error-currency_not_supported = This payment method does not take this currency.
error-device_already_bound = This phone is already bound to an account.
error-device_has_line = This device already has an eSIM.
error-email_taken = An account with this email already exists.
error-forbidden = You may not do this.
error-idempotency_key_in_use = The same request is still being processed.
error-idempotency_key_required = An Idempotency-Key header is required.
error-idempotency_key_reused = This Idempotency-Key was used for a different request.
error-internal_error = Something went wrong on our side.
error-invalid_credentials = The email or the password is wrong.
error-invalid_eid = This EID is not valid.
error-invalid_email = This is not a valid email address.
error-invalid_field = Please check this field.
error-invalid_imei = This is not a valid IMEI: it has 15 digits and the last one is a check digit. Dial *#06# to see yours.
error-invalid_token = This link is invalid or has expired.
error-inventory_exhausted = No eSIM is available right now. Please try again later.
error-not_found = Not found.
error-payment_method_unavailable = This payment method is not available.
error-payment_provider_unavailable = The payment provider did not answer. Please try again.
error-price_not_available = This package is not sold in this currency.
error-refund_not_allowed = This order cannot be refunded.
error-too_many_attempts = Too many attempts. Please wait a moment and try again.
error-unauthenticated = Please sign in first.
error-unavailable = The service is unavailable. Please try again shortly.
error-unknown_country = Unknown country.
error-unknown_package = Unknown package.
error-unknown_region = Unknown region.
error-unknown_subscriber = Unknown subscriber.
error-weak_password = Use at least 10 characters, and not your email address.
error-invalid_body = The request body is not valid.
error-invalid_json = The request body is not valid JSON.
error-invalid_query = The query string is not valid.
error-method_not_allowed = This method is not allowed here.
error-payload_too_large = The request is too large.
error-unsupported_media_type = Send the body as application/json.
error-sandbox_delivery_failed = The sandbox could not deliver the payment notification.
error-sandbox_refused = The sandbox refused this payment.
error-choose_line = Choose a number.
error-choose_method = Choose a payment method.
error-choose_device = Choose a phone.
error-csrf = This form has expired. Reload the page and try again.
error-invalid_totp = The code is wrong or was already used. Wait for a new one.
error-empty_field = This field cannot be empty.

## Admin console
admin-console = Console
admin-role-admin = Admin
admin-role-support = Support
admin-role-finance = Finance
admin-author-customer = Customer
admin-author-staff = Staff
admin-nav-dashboard = Dashboard
admin-nav-catalogue = Catalogue
admin-nav-inventory = eSIM inventory
admin-nav-customers = Customers
admin-nav-orders = Orders
admin-nav-tickets = Tickets
admin-nav-jobs = Failed jobs
admin-nav-audit = Audit log
admin-nav-staff = Staff and API keys
admin-signin-title = Staff sign-in
admin-totp-title = Two-factor authentication
admin-totp-enrol = Set up your authenticator app
admin-totp-enrol-hint = Scan the code with an authenticator app (or type the secret), then enter the 6-digit code it shows.
admin-totp-qr-alt = QR code of the authenticator secret
admin-totp-secret = Secret:
admin-totp-code = 6-digit code
admin-totp-verify = Verify
admin-active-lines = Active lines
admin-chart-topups = Top-ups per day
# $currency (String)
admin-chart-revenue = Revenue per day ({ $currency })
admin-chart-lines-in-use = Lines in use per day
admin-chart-data = Data used per day
# $total (String)
admin-chart-total = Total { $total }
# $max (String)
admin-chart-max = best day { $max }
admin-packages = Packages
admin-code = Code
admin-name = Name
admin-allowance = Allowance
admin-prices = Prices
admin-edit-price = Set a price
admin-amount = Amount
admin-save = Save
admin-retired = Retired
admin-regions = Regions
admin-policies = Keep-alive policies
admin-policy-min = Qualifying top-up
admin-policy-days = Days
admin-policy-days-hint = Days: extends / grace / suspended / quarantine.
admin-default = default
admin-countries = Countries
admin-show = Show
admin-catalogue-file = Edit the whole catalogue
admin-country-names = Country names
admin-catalogue-file-hint = Paste a complete catalogue file (TOML, as for keepsim import-catalog): countries of each region, packages, prices, keep-alive policies, and [[country]] names that replace the standard (CLDR) name of a country in some languages. Preview shows what would change; apply changes it.
admin-preview = Preview
admin-apply = Apply
admin-applied = Applied
admin-available = Available
admin-assigned = Assigned
admin-import = Import
admin-import-hint = Columns: iccid, imsi, msisdn, smdp_address, matching_id (a header row first). Choose a file or paste the text.
# $count (Int)
admin-imported = { $count ->
    [one] 1 profile imported.
   *[other] { $count } profiles imported.
}
admin-skip-invalid = Import the good rows and skip the bad ones
admin-without-check-digit = ICCIDs come without their check digit
admin-search-email = Email contains
admin-created = Created
admin-next = Next page
admin-lines = Lines
admin-expires = Expires
admin-ledger = Ledger
admin-service = Service
admin-units = Units
admin-any = Any
admin-since = From
admin-until = To
admin-filter = Filter
admin-refunded = Refunded
admin-customer = Customer
admin-bundle = Bundle
admin-flag = Flag
admin-refund = Refund
admin-refund-hint = What is left is refunded unless you enter less.
admin-reason = Reason
admin-history = History
admin-refunds = Refunds
admin-answer = Answer
admin-close-ticket = Close the ticket
admin-failed-jobs = Fulfilment jobs that failed
admin-failed-deliveries = Deliveries that gave up
admin-order = Order
admin-attempts = Attempts
admin-error = Last error
admin-retry = Retry
admin-channel = Channel
admin-staff = Staff
admin-action = Action
admin-target = Target
admin-detail = Detail
# $email (String)
admin-staff-created = { $email } can now sign in with this one-time password (shown once):
admin-role = Role
admin-staff-new = Add a staff member
admin-create = Create
admin-api-keys = API keys
admin-key-once = The new key, shown once:
admin-prefix = Prefix
admin-scopes = Scopes
admin-partner = Partner
admin-revoked = Revoked
admin-revoke = Revoke
admin-create-key = Create a key
