<?php

declare(strict_types=1);

namespace Vpnflow\Tests\Unit;

use Vpnflow\Tests\StandIn\ModuleTestCase;
use Vpnflow\Tests\StandIn\Recorder;
use WHMCS\Module\Server\Vpnflow\ModuleLog;

final class ModuleLogTest extends ModuleTestCase
{
    public function testPasswordsSecretsTokensAndKeysNeverReachTheModuleLog(): void
    {
        ModuleLog::call(
            'POST /v1/whmcs/services',
            ['password' => 'Client-Passw0rd', 'product' => ['pppProfile' => 'gold', 'protocols' => [
                'l2tp' => ['ipsecSecret' => 'psk-value-1'],
                'ovpn' => ['profile' => "<key>PRIVATE</key>"],
            ]]],
            ['token' => 'tok.abc.def', 'note' => 'echo of Client-Passw0rd and shared-secret-1'],
            'HTTP 201',
            ['shared-secret-1'],
        );
        $logged = Recorder::moduleLogText();
        foreach (['Client-Passw0rd', 'psk-value-1', 'PRIVATE', 'tok.abc.def', 'shared-secret-1'] as $secret) {
            $this->assertStringNotContainsString($secret, $logged);
        }
        $this->assertStringContainsString('gold', $logged);
        $this->assertContains('shared-secret-1', Recorder::$moduleCalls[0]['replaceVars']);
        $this->assertContains('Client-Passw0rd', Recorder::$moduleCalls[0]['replaceVars']);
    }
}
