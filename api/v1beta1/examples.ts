import type { HCloudMachineInput } from './hcloud-machine.js';
import type { HCloudMachineTemplateInput } from './hcloud-machine-template.js';
import type { HCloudRemediationTemplateInput } from './hcloud-remediation-template.js';
import type { HetznerBareMetalHostInput } from './hetzner-bare-metal-host.js';
import type { HetznerBareMetalMachineInput } from './hetzner-bare-metal-machine.js';
import type { HetznerBareMetalMachineTemplateInput } from './hetzner-bare-metal-machine-template.js';
import type { HetznerClusterInput } from './hetzner-cluster.js';
import { API_VERSION } from './kind.js';

/**
 * One manifest per kind as CAPH's documentation and cluster templates write them (image-url-command
 * docs, bare-metal host reference, `templates/cluster-templates/v1beta1/bases`), with the
 * template variables filled in. Manifests written for CAPH must apply unchanged; the tests apply
 * these to a real kube-apiserver and parse them with the schemas.
 */
export const examples = {
  hcloudMachineTemplate: {
    apiVersion: API_VERSION,
    kind: 'HCloudMachineTemplate',
    metadata: { name: 'my-hcloud-template' },
    spec: {
      template: {
        spec: {
          type: 'cpx22',
          imageURL: 'oci://example.com/yourimage:v1',
          imageURLCommand: 'image-url-command-install-foo.sh',
        },
      },
    },
  } satisfies HCloudMachineTemplateInput,

  /** CAPH's `hcloud-mhc-md-0.yaml`: what its MachineHealthChecks reference. */
  hcloudRemediationTemplate: {
    apiVersion: API_VERSION,
    kind: 'HCloudRemediationTemplate',
    metadata: { name: 'worker-remediation-request' },
    spec: { template: { spec: { strategy: { type: 'Reboot', retryLimit: 1, timeout: '180s' } } } },
  } satisfies HCloudRemediationTemplateInput,

  hcloudMachine: {
    apiVersion: API_VERSION,
    kind: 'HCloudMachine',
    metadata: { name: 'my-cluster-md-0-abcde', labels: { 'cluster.x-k8s.io/cluster-name': 'my-cluster' } },
    spec: {
      type: 'cpx22',
      imageURL: 'oci://example.com/yourimage:v1',
      imageURLCommand: 'image-url-command-install-foo.sh',
      publicNetwork: {},
    },
  } satisfies HCloudMachineInput,

  hetznerCluster: {
    apiVersion: API_VERSION,
    kind: 'HetznerCluster',
    metadata: {
      name: 'my-cluster',
      annotations: { 'capi.syself.com/use-hrobot-provider-id-for-baremetal': 'true' },
    },
    spec: {
      hcloudNetwork: { enabled: false },
      controlPlaneRegions: ['fsn1'],
      controlPlaneEndpoint: { host: '', port: 443 },
      controlPlaneLoadBalancer: { region: 'fsn1' },
      sshKeys: {
        hcloud: [{ name: 'my-ssh-key' }],
        robotRescueSecretRef: {
          name: 'robot-ssh',
          key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
        },
      },
      hetznerSecretRef: {
        name: 'hcloud',
        key: {
          hcloudToken: 'hcloud',
          hetznerRobotUser: 'robot-user',
          hetznerRobotPassword: 'robot-password',
        },
      },
    },
  } satisfies HetznerClusterInput,

  hetznerBareMetalMachineTemplate: {
    apiVersion: API_VERSION,
    kind: 'HetznerBareMetalMachineTemplate',
    metadata: { name: 'my-cluster-md-1' },
    spec: {
      template: {
        spec: {
          hostSelector: { matchLabels: { 'baremetal-pool': 'pool-1' } },
          installImage: {
            imageURLCommand: 'image-url-command-install-foo.sh',
            deviceStringType: 'wwn',
            image: { url: 'oci://example.com/yourimage:v1' },
            partitions: [],
          },
          sshSpec: {
            portAfterInstallImage: 22,
            secretRef: {
              name: 'robot-ssh',
              key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
            },
          },
        },
      },
    },
  } satisfies HetznerBareMetalMachineTemplateInput,

  hetznerBareMetalMachine: {
    apiVersion: API_VERSION,
    kind: 'HetznerBareMetalMachine',
    metadata: { name: 'my-cluster-md-1-xyz12' },
    spec: {
      installImage: {
        imageURLCommand: 'image-url-command-install-foo.sh',
        image: { url: 'oci://example.com/yourimage:v1' },
        partitions: [],
      },
      sshSpec: {
        secretRef: {
          name: 'robot-ssh',
          key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
        },
      },
    },
  } satisfies HetznerBareMetalMachineInput,

  hetznerBareMetalHost: {
    apiVersion: API_VERSION,
    kind: 'HetznerBareMetalHost',
    metadata: { name: 'bm-0' },
    spec: {
      serverID: 1682566,
      rootDeviceHints: { wwn: 'eui.0068475201b4egh2' },
      maintenanceMode: false,
      description: 'Test Machine 0',
    },
  } satisfies HetznerBareMetalHostInput,

  hetznerBareMetalHostRaid: {
    apiVersion: API_VERSION,
    kind: 'HetznerBareMetalHost',
    metadata: { name: 'bm-1' },
    spec: {
      serverID: 1682567,
      rootDeviceHints: { raid: { wwn: ['eui.0068475201b4egh2', 'eui.0068475201b4egh3'] } },
      maintenanceMode: false,
      description: 'Test Machine 1',
    },
  } satisfies HetznerBareMetalHostInput,
};
