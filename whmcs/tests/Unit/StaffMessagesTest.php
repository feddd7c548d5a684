<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use Vpnflow\Tests\StandIn\ModuleTestCase;
use WHMCS\Database\Capsule;
use WHMCS\Module\Server\Vpnflow\ApiError;
use WHMCS\Module\Server\Vpnflow\StaffMessages;
use WHMCS\Module\Server\Vpnflow\Translator;
use WHMCS\Module\Server\Vpnflow\TransportFailure;

final class StaffMessagesTest extends ModuleTestCase
{
    private function explain(\Throwable $problem, array $context = []): string
    {
        return (new StaffMessages(Translator::forLanguage('english')))->explain($problem, $context);
    }

    public function testABadSettingIsNamedAsStaffKnowIt(): void
    {
        $message = $this->explain(new ApiError(400, 'invalid_request', 'Invalid request', [
            ['field' => 'product.downloadMbps', 'message' => 'must be at most 100000 Mbit/s'],
            ['field' => 'product.trafficGb.free', 'message' => 'must not be negative, got -1'],
            ['field' => 'password', 'message' => 'password may only contain printable ASCII characters'],
        ]));
        $this->assertStringContainsString('Download Mbit/s: must be at most 100000 Mbit/s', $message);
        $this->assertStringContainsString('Traffic GB One Time / Free: must not be negative', $message);
        $this->assertStringContainsString('Password: password may only contain', $message);
    }

    /** @return iterable<string, array{\Throwable, string}> */
    public function failures(): iterable
    {
        yield 'unreachable' => [new TransportFailure('https://vpn.example.net:443/v1/whmcs/services', 'Connection refused'), 'https://vpn.example.net:443/v1/whmcs/services did not answer: Connection refused'];
        yield 'bad signature' => [new ApiError(401, 'bad_signature', 'The request signature does not match'), "the server's Password must equal vpnflow's WHMCS_SHARED_SECRET"];
        yield 'clock skew' => [new ApiError(401, 'stale_request', 'too old'), 'Fix NTP'];
        yield 'unknown router' => [new ApiError(422, 'unknown_router', 'Router 42 does not exist or is disabled'), 'no enabled router 42'];
        yield 'service not found' => [new ApiError(404, 'service_not_found', 'No such service'), 'no service #77'];
        yield 'impossible transition' => [new ApiError(409, 'invalid_transition', 'cannot unsuspend: service is not suspended for admin'), 'vpnflow refused: cannot unsuspend: service is not suspended for admin'];
        yield 'no worker' => [new ApiError(503, 'worker_unavailable', 'The service did not answer in time'), 'worker is running'];
        yield 'name taken on the router' => [new ApiError(409, 'username_taken_on_router', 'taken', ['routerId' => 42, 'routerName' => 'edge-1', 'username' => 'alice']), 'alice is already used on router edge-1'];
        yield 'no address left' => [new ApiError(409, 'address_pool_exhausted', 'No free address'), 'add addresses to its pool (POST /v1/admin/routers/42/addresses)'];
        yield 'throttled' => [new ApiError(429, 'too_many_failed_authentications', 'retry in 300 s'), 'retry in 300 s'];
        yield 'something else' => [new ApiError(418, 'teapot', 'short and stout'), 'HTTP 418 (teapot): short and stout'];
    }

    /** @dataProvider failures */
    public function testEachFailureTellsStaffWhatToDo(\Throwable $problem, string $fragment): void
    {
        $this->assertStringContainsString($fragment, $this->explain($problem, ['serviceId' => 77, 'routerId' => '42']));
    }

    public function testStaffReadMessagesInTheirAdminLanguage(): void
    {
        $adminId = Capsule::table('tbladmins')->insertGetId(['username' => 'jonas', 'language' => 'german']);
        $_SESSION['adminid'] = $adminId;
        $message = (new StaffMessages(Translator::forStaff()))->explain(new ApiError(401, 'stale_request', ''));
        $this->assertStringContainsString('Korrigieren Sie NTP', $message);
    }

    public function testWithoutAnAdminTheSystemLanguageIsUsed(): void
    {
        Capsule::table('tblconfiguration')->where('setting', 'Language')->update(['value' => 'ukranian']);
        try {
            $this->assertSame('uk', Translator::forStaff()->code);
        } finally {
            Capsule::table('tblconfiguration')->where('setting', 'Language')->update(['value' => 'english']);
        }
    }

    /** @return iterable<string, array{string}> */
    public function languages(): iterable
    {
        foreach (array_diff(Translator::codes(), ['en']) as $code) {
            yield $code => [$code];
        }
    }

    /** @dataProvider languages */
    public function testEveryLanguageHasEachEnglishStringWithItsPlaceholders(string $code): void
    {
        $english = Translator::catalog('en');
        $translated = Translator::catalog($code);
        $this->assertSame(array_keys($english), array_keys($translated));
        foreach ($english as $key => $text) {
            preg_match_all('/\{\w+\}/', $text, $expected);
            preg_match_all('/\{\w+\}/', $translated[$key], $actual);
            sort($expected[0]);
            sort($actual[0]);
            $this->assertSame($expected[0], $actual[0], "$code: $key");
            $this->assertNotSame('', trim($translated[$key]), "$code: $key");
        }
    }

    public function testSixLanguagesAsInVpnflowsLocales(): void
    {
        $locales = array_map(static fn (string $file) => basename($file, '.json'), glob(__DIR__ . '/../../../locales/*.json'));
        sort($locales);
        $codes = Translator::codes();
        sort($codes);
        $this->assertSame($locales, $codes);
    }
}
