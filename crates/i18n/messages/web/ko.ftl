### keepsim 웹 페이지와 API 오류 제목 — 한국어(ko).
### 영어(en.ftl)와 같은 메시지를 같은 변수로 정의합니다. 한국어에는 복수형이 없으므로 수량은 변수를 그대로 씁니다.
### 변수 뒤에는 받침에 따라 달라지는 조사(을/를, 이/가, 은/는)를 쓰지 않습니다.

## Navigation and layout
nav-skip = 본문으로 건너뛰기
nav-main = 주 메뉴
nav-language = 언어
nav-language-apply = 변경
nav-signin = 로그인
nav-signout = 로그아웃
nav-home = 내 회선
nav-devices = 기기
nav-coverage = 이용 가능 지역
nav-inbox = 알림함
nav-support = 고객 지원
nav-help = 도움말
footer-text = keepsim — 번호를 그대로 유지하는 여행용 선불 eSIM

## Home
home-title = 해외에서도 연결은 그대로, 번호도 그대로
home-lead = 휴대전화를 등록하고 1분 만에 eSIM을 설치한 뒤, 여행지에 맞는 데이터, 통화, 문자를 구매하세요. 1년에 한 번 소액만 충전하면 번호를 계속 유지할 수 있습니다.
home-cta-signup = 계정 만들기
home-regions = 지역
home-how = 이용 방법
home-step-1 = 계정을 만들고 IMEI로 휴대전화를 등록합니다.
home-step-2 = eSIM을 받습니다. QR 코드를 스캔하거나 활성화 코드를 복사하세요.
home-step-3 = 방문할 국가에 맞는 요금제를 구매하고 카드, 알리페이 또는 위챗페이로 결제합니다.
home-step-4 = 사용량을 확인하세요. 데이터가 떨어지거나 번호가 만료되기 전에 미리 알려 드립니다.

## Sign up and sign in
signup-title = 계정 만들기
signup-submit = 계정 만들기
signup-have-account = 이미 계정이 있으신가요?
signin-title = 로그인
signin-submit = 로그인
signin-no-account = keepsim을 처음 이용하시나요?
signin-forgot = 비밀번호를 잊으셨나요?
forgot-title = 비밀번호 재설정
forgot-hint = 계정의 이메일 주소를 입력하세요. 계정이 있는 주소라면 새 비밀번호를 정하는 링크를 보내 드립니다. 링크는 한 번만, 1시간 동안 사용할 수 있습니다.
forgot-submit = 링크 보내기
forgot-sent = 이 주소로 된 계정이 있다면 링크를 보냈습니다. 받은편지함과 스팸함을 확인해 주세요.
field-new-password = 새 비밀번호
reset-title = 새 비밀번호 정하기
reset-submit = 새 비밀번호 저장
reset-done = 비밀번호가 바뀌었고 모든 기기에서 로그아웃되었습니다. 새 비밀번호로 로그인하세요.
reset-invalid = 유효하지 않은 링크입니다. 이미 사용했거나, 만료되었거나, 일부만 복사되었을 수 있습니다.
reset-again = 새 링크 요청
verify-title = 이메일 주소 확인
verify-hint = 번호에 관한 알림을 받을 수 있도록 이 주소가 본인의 것인지 확인해 주세요.
verify-submit = 주소 확인
verify-done = 감사합니다. 이메일 주소가 확인되었습니다.
app-verify-needed = 이메일 주소가 아직 확인되지 않았습니다. 요금제나 번호가 만료되기 전에 이 주소로 알려 드립니다.
app-verify-send = 확인 링크 보내기
app-verify-sent = 확인 링크를 보냈습니다. 받은편지함을 확인해 주세요.
field-email = 이메일
field-password = 비밀번호
field-password-hint = 10자 이상이어야 하며 이메일 주소와 같으면 안 됩니다.
field-imei = IMEI
field-imei-hint = 휴대전화 고유의 15자리 번호입니다. *#06#으로 전화를 걸면 확인할 수 있으며, "설정 → 일반 → 정보"(iPhone) 또는 "설정 → 휴대전화 정보"(Android)에서도 확인할 수 있습니다.
field-device-label = 이름(선택)
field-device-label-hint = 예: "내 iPhone"
field-eid = EID(선택)
field-eid-hint = 32자리 숫자이며, 휴대전화 제조사가 요구할 때만 필요합니다. iPhone: 설정 → 일반 → 정보 → EID. Android: 설정 → 휴대전화 정보 → SIM 상태.
field-currency = 통화
field-subject = 제목
field-message = 내용

## Live IMEI check in the browser ({"{n}"} is replaced by a number there)
imei-live-digits = 숫자만 입력해 주세요.
imei-live-short = { "{n}" }자리 더 입력해 주세요.
imei-live-long = IMEI는 정확히 15자리입니다.
imei-live-check = 번호에 오타가 있습니다. 마지막 자리(검증 숫자)가 맞지 않습니다.
imei-live-ok = 올바른 번호입니다.

## Customer home
app-title = 내 회선
# $email (String)
app-signed-in-as = 로그인 계정: { $email }
# $count (Int)
app-unread = 읽지 않은 메시지가 { $count }개 있습니다.
app-no-lines = 아직 eSIM이 없습니다. 휴대전화를 등록하면 받을 수 있습니다.
app-bind-first = 기기 등록
# $amount (String)
app-data-left = 남은 데이터 { $amount }
app-no-bundle = 사용 중인 요금제가 없습니다.
app-usage = 사용량
app-topup = 요금제 구매
app-esim = eSIM
# $count (Int)
app-devices-without-line = 아직 eSIM이 없는 기기가 { $count }대 있습니다.

## States
line-state-assigned = 설치 대기
line-state-active = 사용 중
line-state-grace = 유예 기간
line-state-suspended = 이용 정지
line-state-recycled = 회수됨
bundle-state-active = 사용 중
bundle-state-exhausted = 모두 사용함
bundle-state-expired = 만료됨
bundle-state-revoked = 환불됨
ledger-topup_credit = 충전
ledger-usage_debit = 사용
ledger-reserve = 예약
ledger-release = 예약 해제
ledger-expiry_forfeit = 만료 소멸
ledger-refund_revoke = 환불
method-card = 카드
method-alipay = 알리페이
method-wechat = 위챗페이
ticket-status-open = 접수됨
ticket-status-answered = 답변 완료
ticket-status-closed = 종료
ticket-author-customer = 고객님
ticket-author-staff = keepsim 고객 지원

## Devices
devices-title = 기기
devices-unnamed = 이름 없는 기기
# $number (String)
devices-line = 번호 { $number }
devices-get-esim = eSIM 받기
devices-remove = 삭제
devices-removed-hint = eSIM이 없는 휴대전화는 삭제할 수 있습니다.
devices-none = 아직 등록된 기기가 없습니다.
devices-bind-title = 기기 등록
devices-bind-submit = 기기 등록
devices-one-per-line-title = eSIM은 왜 기기 한 대에 하나인가요?
devices-one-per-line = 각 eSIM은 휴대전화 한 대를 위해 발급되며 그 기기의 IMEI에 연결됩니다. 번호를 새 휴대전화로 옮기려면 새 휴대전화를 등록한 뒤 고객 지원에 회선 이전을 요청해 주세요.

## eSIM
esim-title = 내 eSIM
esim-number = 전화번호
esim-state = 상태
esim-device = 기기
esim-kept-until = 번호 유지 기한
esim-qr-title = QR 코드로 설치
esim-qr-hint = 이 페이지를 다른 화면에서 열고, 등록한 휴대전화로 코드를 스캔하세요.
esim-qr-alt = eSIM 활성화 코드의 QR 코드
esim-code-title = 또는 활성화 코드 입력
esim-copy = 코드 복사
esim-copied = 복사했습니다
esim-smdp = SM-DP+ 주소
esim-matching-id = 활성화 코드(Matching ID)
esim-ios-title = iPhone에서 설치
esim-ios-1 = "설정 → 셀룰러 → eSIM 추가"를 엽니다.
esim-ios-2 = "QR 코드 사용"을 선택해 코드를 스캔하거나, "세부사항 수동으로 입력"을 탭하고 활성화 코드를 붙여 넣습니다.
esim-ios-3 = 새 회선의 이름을 "여행"으로 지정하고, 해외에서는 셀룰러 데이터 회선으로 선택합니다.
esim-ios-4 = 이 회선의 "데이터 로밍"을 켭니다.
esim-android-title = Android 휴대전화에서 설치
esim-android-1 = "설정 → 네트워크 및 인터넷 → SIM → SIM 추가"(또는 "대신 SIM을 다운로드하시겠습니까?")를 엽니다.
esim-android-2 = QR 코드를 스캔하거나, "도움이 필요하신가요?" → "직접 입력"을 선택하고 활성화 코드를 붙여 넣습니다.
esim-android-3 = 새 SIM을 켜고 모바일 데이터용 SIM으로 선택합니다.
esim-android-4 = 이 SIM의 "로밍"을 켭니다.
esim-move-title = 휴대전화를 바꾸셨나요?
esim-move-hint = 이 번호를 등록해 둔 다른 휴대전화로 옮깁니다. 요금제와 유효 기간도 함께 옮겨집니다. 새 휴대전화에는 새 eSIM이 발급되고(이 페이지에 새 QR 코드가 표시됩니다) 예전 휴대전화의 eSIM은 더 이상 작동하지 않습니다.
esim-move-device = 새 휴대전화
esim-move-confirm = 예전 휴대전화의 eSIM이 더 이상 작동하지 않는다는 것을 이해했습니다.
esim-move-confirm-needed = 확인하려면 체크해 주세요.
esim-move-submit = 번호 옮기기
esim-move-none = 먼저 기기 페이지에서 새 휴대전화를 등록하세요. 그러면 여기에서 번호를 옮길 수 있습니다.

## Coverage and packages
coverage-title = 이용 가능 지역
coverage-search-title = 어디로 가시나요?
coverage-search-label = 국가 검색
coverage-search-placeholder = 예: 일본, 日本, JP
coverage-search-button = 검색
coverage-countries-title = 국가
# $count (Int)
coverage-countries = { $count }개국
# $count (Int)
coverage-found = { $count }개국을 찾았습니다
# $query (String)
coverage-none = 검색어 "{ $query }"에 일치하는 국가가 없습니다.
packages-title = 요금제
# $place (String)
packages-for = { $place } 요금제
packages-show = 보기
packages-none = 아직 이 지역에서 쓸 수 있는 요금제가 없습니다.
packages-data-unlimited = 데이터 무제한
# $amount (String)
packages-data = 데이터 { $amount }
packages-no-data = 데이터 없음
# $count (Int)
packages-minutes = 통화 { $count }분
# $count (Int)
packages-sms = 문자 { $count }건
# $days (Int)
packages-validity = 유효기간 { $days }일
# $days (Int)
packages-keeps-number = 번호 유지 기간 { $days }일 연장
packages-buy = 구매
packages-no-price = 이 통화로는 판매하지 않습니다.

## Buying
buy-title = 요금제 구매
buy-line = 충전할 번호
buy-method = 결제 수단
buy-method-hint = 데모 모드에서는 실제 결제사 대신 샌드박스 결제 화면을 사용하며, 실제 돈은 청구되지 않습니다.
buy-submit = 결제하기
buy-no-line = 요금제를 구매하려면 먼저 eSIM이 있어야 합니다.
order-title = 주문 내역
order-package = 요금제
order-amount = 금액
order-method = 결제 수단
order-scan-alipay = 알리페이로 스캔하여 결제
order-scan-wechat = 위챗으로 스캔하여 결제
order-scan-card = 알리페이로 스캔하여 결제
order-open-alipay = 알리페이 열기
order-pay-now = 지금 결제
order-see-bundle = 사용량 보기
order-status-awaiting_payment = 결제 대기 중
order-status-awaiting_payment-hint = 결제를 완료해 주세요. 이 페이지는 자동으로 새로 고쳐집니다.
order-status-paid = 처리 중
order-status-paid-hint = 결제가 확인되었습니다. 회선에 요금제를 추가하고 있습니다…
order-status-fulfilled = 완료
order-status-fulfilled-hint = 요금제가 회선에 추가되어 바로 사용할 수 있습니다.
order-status-failed = 결제 실패
order-status-failed-hint = 청구된 금액도, 추가된 요금제도 없습니다. 다시 시도하시거나 다른 결제 수단을 선택해 주세요.
order-status-expired = 만료됨
order-status-expired-hint = 기한 내에 결제되지 않았습니다. 준비가 되면 새로 주문해 주세요.
order-status-refunded = 환불됨
order-status-refunded-hint = 이 주문은 환불되었습니다.
order-status-partially_refunded = 부분 환불됨
order-status-partially_refunded-hint = 이 주문의 일부가 환불되었습니다.
checkout-title = 샌드박스 결제
# $method (String)
checkout-sandbox = 데모 모드: 실제 돈은 청구되지 않습니다. 내장된 결제 게이트웨이({ $method })는 실제 결제사와 똑같은 방식으로 알림에 서명합니다.
checkout-status = 상태
# $amount (String)
checkout-pay = { $amount } 결제
checkout-decline = 거절
checkout-back = 주문으로 돌아가기

## Usage
usage-title = 사용량
# $date (String)
usage-kept-until = 전화번호는 { $date }까지 유지됩니다.
usage-not-kept = 아직 번호가 유지되고 있지 않습니다. 요금제를 구매하면 번호가 유지됩니다.
usage-total = 전체 잔여량
usage-bundles = 요금제
usage-data = 데이터
usage-voice = 통화
usage-sms = 문자
usage-unlimited = 데이터 무제한
usage-no-data = 데이터 요금제가 없습니다.
# $amount (String)
usage-used = { $amount } 사용
# $left (String), $total (String)
usage-left-of = { $total } 중 { $left } 남음
# $left (Int), $total (Int)
usage-minutes-left = { $total }분 중 { $left }분 남음
# $left (Int), $total (Int)
usage-sms-left = 문자 { $total }건 중 { $left }건 남음
usage-remaining-data = 남은 데이터
usage-remaining-voice = 남은 통화 시간
usage-remaining-sms = 남은 문자
# $date (String)
usage-expires = 만료일: { $date }
# $days (Int)
usage-starts-first-use = 해외에서 처음 사용할 때부터 { $days }일이 계산됩니다.
usage-chart-title = 데이터 사용량(최근 30일)
# $amount (String)
usage-chart-total = 합계 { $amount }
usage-history = 이용 내역
usage-history-when = 일시
usage-history-what = 내용
usage-history-amount = 수량
usage-history-empty = 아직 내역이 없습니다.

## Inbox
inbox-title = 알림함
inbox-empty = 메시지가 없습니다.
inbox-new = 새 알림
inbox-mark-read = 읽음으로 표시

## Help and support
help-title = 도움말
help-more = 아직 해결되지 않았나요?
faq-countries-q = 어느 국가에서 사용할 수 있나요?
# $count (Int)
faq-countries-a = 지역별로 묶인 { $count }개국에서 사용할 수 있습니다. 이용 가능 지역 페이지에서 국가를 검색하면 그 국가에서 쓸 수 있는 요금제를 볼 수 있습니다.
faq-usage-q = 사용량은 어떻게 확인하나요?
faq-usage-a = 사용량 페이지에서는 요금제별로 남은 데이터, 통화, 문자를 막대그래프와 만료일과 함께 보여 드립니다. 전체 잔여량, 최근 30일 그래프, 모든 충전·사용·만료 내역도 확인할 수 있습니다. 사용량은 네트워크에서 보고되는 즉시 반영됩니다.
faq-device-q = 회선 하나에 기기가 한 대인 이유는 무엇인가요?
faq-device-a = eSIM은 휴대전화 한 대에 설치되며 그 기기의 IMEI에 연결됩니다. 휴대전화마다 따로 등록해 주세요. 휴대전화를 바꾸셨다면 새 휴대전화를 등록한 뒤 eSIM 페이지에서 "번호 옮기기"를 선택하세요. 번호와 요금제, 유효 기간이 새 휴대전화의 새 eSIM으로 옮겨집니다.
faq-imei-q = IMEI는 어디에서 확인하나요?
faq-validity-q = 요금제는 언제 시작되고 언제 만료되나요?
faq-validity-a = 구매 즉시 시작되는 요금제도 있고, 이용 가능 국가에서 처음 사용할 때 시작되는 요금제도 있습니다. 유효기간은 그때부터 계산됩니다. 요금제가 만료될 때 남아 있는 잔여량은 소멸되며 이용 내역에 표시됩니다.
faq-keep-q = 번호는 어떻게 유지되나요?
faq-keep-a = 조건을 충족하는 충전을 할 때마다 번호 유지 기간이 늘어납니다. 기간이 지나면 회선은 유예 기간에 들어가고, 이후 이용이 정지되며, 최종적으로 회수됩니다. 각 단계 전에 미리 알려 드립니다. 유예 기간이나 이용 정지 중에 충전하면 다시 이용할 수 있습니다.
support-title = 고객 지원
support-none = 아직 문의하신 내용이 없습니다.
support-new = 문의하기
support-send = 보내기
support-reply = 답글
support-back = 전체 문의

## Error pages
error-page-back = 처음으로 돌아가기
error-page-not_found = 페이지를 찾을 수 없습니다
error-page-not_found-hint = 존재하지 않는 페이지이거나 고객님의 페이지가 아닙니다.
error-page-csrf = 양식이 만료되었습니다
error-page-csrf-hint = 안전을 위해 양식이 전송되지 않았습니다. 이전 페이지로 돌아가 새로 고침한 뒤 다시 시도해 주세요.
error-page-forbidden = 권한이 없습니다
error-page-forbidden-hint = 현재 역할로는 이 작업을 할 수 없습니다.
error-page-internal_error = 문제가 발생했습니다
error-page-internal_error-hint = 저희 쪽 문제입니다. 잠시 후 다시 시도해 주세요.

## Error titles: API problem titles and messages next to form fields, by error code.
error-currency_not_supported = 이 결제 수단은 해당 통화를 지원하지 않습니다.
error-device_already_bound = 이 휴대전화는 이미 다른 계정에 등록되어 있습니다.
error-device_has_line = 이 기기에는 이미 eSIM이 있습니다.
error-email_taken = 이 이메일로 가입된 계정이 이미 있습니다.
error-forbidden = 이 작업을 할 권한이 없습니다.
error-idempotency_key_in_use = 같은 요청을 아직 처리하고 있습니다.
error-idempotency_key_required = Idempotency-Key 헤더가 필요합니다.
error-idempotency_key_reused = 이 Idempotency-Key는 다른 요청에 이미 사용되었습니다.
error-internal_error = 저희 쪽에서 문제가 발생했습니다.
error-invalid_credentials = 이메일 또는 비밀번호가 올바르지 않습니다.
error-invalid_eid = 유효하지 않은 EID입니다.
error-invalid_email = 유효한 이메일 주소가 아닙니다.
error-invalid_field = 이 항목을 확인해 주세요.
error-invalid_imei = 유효한 IMEI가 아닙니다. IMEI는 15자리이며 마지막 자리는 검증 숫자입니다. *#06#으로 전화를 걸어 확인해 보세요.
error-invalid_token = 링크가 유효하지 않거나 만료되었습니다.
error-inventory_exhausted = 지금은 사용할 수 있는 eSIM이 없습니다. 잠시 후 다시 시도해 주세요.
error-not_found = 찾을 수 없습니다.
error-payment_method_unavailable = 이 결제 수단은 사용할 수 없습니다.
error-payment_provider_unavailable = 결제사가 응답하지 않았습니다. 다시 시도해 주세요.
error-price_not_available = 이 요금제는 해당 통화로 판매하지 않습니다.
error-refund_not_allowed = 이 주문은 환불할 수 없습니다.
error-too_many_attempts = 시도 횟수가 너무 많습니다. 잠시 후 다시 시도해 주세요.
error-unauthenticated = 먼저 로그인해 주세요.
error-unavailable = 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.
error-unknown_country = 알 수 없는 국가입니다.
error-unknown_package = 알 수 없는 요금제입니다.
error-unknown_region = 알 수 없는 지역입니다.
error-unknown_subscriber = 알 수 없는 가입자입니다.
error-weak_password = 비밀번호는 10자 이상이어야 하며 이메일 주소와 같으면 안 됩니다.
error-invalid_body = 요청 본문이 올바르지 않습니다.
error-invalid_json = 요청 본문이 올바른 JSON이 아닙니다.
error-invalid_query = 쿼리 문자열이 올바르지 않습니다.
error-method_not_allowed = 여기서는 이 메서드를 사용할 수 없습니다.
error-payload_too_large = 요청이 너무 큽니다.
error-unsupported_media_type = 본문을 application/json 형식으로 보내 주세요.
error-sandbox_delivery_failed = 샌드박스에서 결제 알림을 전달하지 못했습니다.
error-sandbox_refused = 샌드박스에서 이 결제를 거부했습니다.
error-choose_line = 번호를 선택해 주세요.
error-choose_method = 결제 수단을 선택해 주세요.
error-choose_device = 휴대전화를 선택해 주세요.
error-csrf = 양식이 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도해 주세요.
error-invalid_totp = 코드가 올바르지 않거나 이미 사용되었습니다. 새 코드가 나올 때까지 기다려 주세요.
error-empty_field = 이 항목은 비워 둘 수 없습니다.

## Admin console
admin-console = 관리 콘솔
admin-role-admin = 관리자
admin-role-support = 고객 지원
admin-role-finance = 재무
admin-author-customer = 고객
admin-author-staff = 직원
admin-nav-dashboard = 대시보드
admin-nav-catalogue = 카탈로그
admin-nav-inventory = eSIM 재고
admin-nav-customers = 고객
admin-nav-orders = 주문
admin-nav-tickets = 문의
admin-nav-jobs = 실패한 작업
admin-nav-audit = 감사 로그
admin-nav-staff = 직원 및 API 키
admin-signin-title = 직원 로그인
admin-totp-title = 2단계 인증
admin-totp-enrol = 인증 앱 설정
admin-totp-enrol-hint = 인증 앱으로 코드를 스캔하거나 비밀 키를 직접 입력한 다음, 앱에 표시되는 6자리 코드를 입력하세요.
admin-totp-qr-alt = 인증 앱 비밀 키의 QR 코드
admin-totp-secret = 비밀 키:
admin-totp-code = 6자리 코드
admin-totp-verify = 확인
admin-active-lines = 사용 중인 회선
admin-chart-topups = 일별 충전
# $currency (String)
admin-chart-revenue = 일별 매출({ $currency })
admin-chart-lines-in-use = 일별 사용 회선 수
admin-chart-data = 일별 데이터 사용량
# $total (String)
admin-chart-total = 합계 { $total }
# $max (String)
admin-chart-max = 일 최고 { $max }
admin-packages = 요금제
admin-code = 코드
admin-name = 이름
admin-allowance = 제공량
admin-prices = 가격
admin-edit-price = 가격 설정
admin-amount = 금액
admin-save = 저장
admin-retired = 사용 중지
admin-regions = 지역
admin-policies = 번호 유지 정책
admin-policy-min = 인정되는 충전
admin-policy-days = 일수
admin-policy-days-hint = 일수: 연장 / 유예 기간 / 이용 정지 / 격리 기간.
admin-default = 기본값
admin-countries = 국가
admin-show = 보기
admin-catalogue-file = 카탈로그 전체 편집
admin-country-names = 국가 이름
admin-catalogue-file-hint = 카탈로그 파일 전체(TOML, keepsim import-catalog에서 쓰는 형식)를 붙여 넣으세요. 지역별 국가, 요금제, 가격, 번호 유지 정책, 그리고 일부 언어에서 국가의 표준 이름(CLDR)을 대신하는 [[country]] 이름이 모두 들어갑니다. 미리 보기에서는 무엇이 바뀌는지 보여 주고, 적용하면 실제로 바뀝니다.
admin-preview = 미리 보기
admin-apply = 적용
admin-applied = 적용됨
admin-available = 사용 가능
admin-assigned = 할당됨
admin-import = 가져오기
admin-import-hint = 열: iccid, imsi, msisdn, smdp_address, matching_id(첫 줄은 머리글). 파일을 선택하거나 텍스트를 붙여 넣으세요.
# $count (Int)
admin-imported = 프로필 { $count }개를 가져왔습니다.
admin-skip-invalid = 올바른 행만 가져오고 잘못된 행은 건너뛰기
admin-without-check-digit = ICCID에 체크 디지트가 없음
admin-search-email = 이메일 검색어
admin-created = 생성일
admin-next = 다음 페이지
admin-lines = 회선
admin-expires = 만료일
admin-ledger = 원장
admin-service = 서비스
admin-units = 수량
admin-any = 전체
admin-since = 시작일
admin-until = 종료일
admin-filter = 필터
admin-refunded = 환불됨
admin-customer = 고객
admin-bundle = 요금제
admin-flag = 플래그
admin-refund = 환불
admin-refund-hint = 더 적은 금액을 입력하지 않으면 남은 금액 전액이 환불됩니다.
admin-reason = 사유
admin-history = 기록
admin-refunds = 환불 내역
admin-answer = 답변
admin-close-ticket = 문의 종료
admin-failed-jobs = 실패한 주문 처리 작업
admin-failed-deliveries = 전송을 포기한 알림
admin-order = 주문
admin-attempts = 시도 횟수
admin-error = 마지막 오류
admin-retry = 재시도
admin-channel = 채널
admin-staff = 직원
admin-action = 작업
admin-target = 대상
admin-detail = 세부 정보
# $email (String)
admin-staff-created = { $email } 계정은 이제 이 일회용 비밀번호로 로그인할 수 있습니다(한 번만 표시됨):
admin-role = 역할
admin-staff-new = 직원 추가
admin-create = 만들기
admin-api-keys = API 키
admin-key-once = 새 키(한 번만 표시됨):
admin-prefix = 접두사
admin-scopes = 범위
admin-partner = 파트너
admin-revoked = 폐기됨
admin-revoke = 폐기
admin-create-key = 키 만들기
